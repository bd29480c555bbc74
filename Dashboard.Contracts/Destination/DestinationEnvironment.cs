using Dashboard.Contracts.Identity;

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

    /// <summary>The admin listener: <c>/ready</c> (200 once the first full list has synced), <c>/live</c>, <c>/metrics</c>.</summary>
    public const string AdminAddrFlag = "--admin-addr";
    public const string AdminAddr = "MESH_DESTINATION_ADMIN_ADDR";

    /// <summary>PEM of the mesh's trust anchors; setting it turns mTLS on the gRPC port on (callers must present a workload certificate).</summary>
    public const string IdentityTrustAnchorsFlag = "--identity-trust-anchors";
    public const string IdentityTrustAnchors = "MESH_DESTINATION_IDENTITY_TRUST_ANCHORS";

    /// <summary>The service's own identity, which proxies expect (MESH_PROXY_DESTINATION_SVC_NAME); by default <see cref="DefaultLocalName"/>.</summary>
    public const string IdentityLocalNameFlag = "--identity-local-name";
    public const string IdentityLocalName = "MESH_DESTINATION_IDENTITY_LOCAL_NAME";

    /// <summary><c>host:port</c> of the identity endpoint that signs the service's certificates.</summary>
    public const string IdentityServiceAddrFlag = "--identity-svc-addr";
    public const string IdentityServiceAddr = "MESH_DESTINATION_IDENTITY_SVC_ADDR";

    /// <summary>The identity the identity endpoint must present.</summary>
    public const string IdentityServiceNameFlag = "--identity-svc-name";
    public const string IdentityServiceName = "MESH_DESTINATION_IDENTITY_SVC_NAME";

    /// <summary>The ServiceAccount token the service proves itself with to the identity endpoint.</summary>
    public const string IdentityTokenFileFlag = "--identity-token-file";
    public const string IdentityTokenFile = "MESH_DESTINATION_IDENTITY_TOKEN_FILE";

    public const int DefaultPort = 8086;
    public const string DefaultListenAddr = "0.0.0.0:8086";
    public const int DefaultAdminPort = 9996;
    public const string DefaultAdminAddr = "0.0.0.0:9996";
    public const string DefaultClusterDomain = "cluster.local";
    /// <summary>The service's ServiceAccount (docker/kubernetes/60-destination.yaml), and so its identity's.</summary>
    public const string DefaultServiceAccount = "linkerd-destination";
    public const string ServiceName = "linkerd-destination";

    /// <summary>The service's identity in <paramref name="trustDomain"/>: its ServiceAccount in the control-plane namespace.</summary>
    public static string DefaultLocalName(string trustDomain) =>
        IdentityNames.Format(DefaultServiceAccount, IdentityResources.ControlPlaneNamespace, trustDomain);

    /// <summary>The address proxies dial in a cluster whose control plane runs in <paramref name="controlPlaneNamespace"/>.</summary>
    public static string ClusterAddress(string controlPlaneNamespace, string clusterDomain = DefaultClusterDomain) =>
        $"{ServiceName}.{controlPlaneNamespace}.svc.{clusterDomain}:{DefaultPort}";
}
