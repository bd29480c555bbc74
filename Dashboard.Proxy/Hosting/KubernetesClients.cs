using k8s;

namespace Dashboard.Proxy.Hosting;

/// <summary>The Kubernetes API client of every mode that reads the cluster (proxy discovery, identity, destination).</summary>
internal static class KubernetesClients
{
    /// <summary>A client of the API at <paramref name="api"/>, or of the pod's in-cluster API when it is null.</summary>
    public static IKubernetes Create(Uri? api) => new k8s.Kubernetes(api is null
        ? KubernetesClientConfiguration.InClusterConfig()
        : new KubernetesClientConfiguration { Host = api.ToString() });
}
