namespace Dashboard.Contracts.Destination;

/// <summary>
/// Flags of the destination service (<c>Dashboard.Proxy destination</c>), and the environment variables that stand in for
/// them (a flag wins): the manifests that run it and the tests that start it use the same names.
/// </summary>
public static class DestinationEnvironment
{
    public const string Verb = "destination";

    public const string ListenAddrFlag = "--listen-addr";
    public const string ListenAddr = "MESH_DESTINATION_LISTEN_ADDR";

    /// <summary>Kubernetes API to list and watch; unset means the pod's in-cluster configuration.</summary>
    public const string KubernetesApiFlag = "--kubernetes-api";
    public const string KubernetesApi = "MESH_DESTINATION_KUBERNETES_API";

    /// <summary>The cluster's DNS domain, in which full authorities (<c>svc.ns.svc.cluster.local</c>) are named.</summary>
    public const string ClusterDomainFlag = "--cluster-domain";
    public const string ClusterDomain = "MESH_DESTINATION_CLUSTER_DOMAIN";

    /// <summary>The mesh's trust domain, in which meshed pods' identities are named.</summary>
    public const string TrustDomainFlag = "--identity-trust-domain";
    public const string TrustDomain = "MESH_DESTINATION_TRUST_DOMAIN";

    public const int DefaultPort = 8086;
    public const string DefaultListenAddr = "0.0.0.0:8086";
    public const string DefaultClusterDomain = "cluster.local";
}
