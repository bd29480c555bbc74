using Dashboard.Kubernetes;

namespace Dashboard.Cli.Inject;

/// <summary>
/// Linkerd's pod labels and annotations, which inject writes and the rest of the system reads: the inventory
/// counts a pod as meshed by <see cref="ControlPlaneNamespace"/>; Prometheus' relabelling turns
/// <c>linkerd.io/proxy-&lt;kind&gt;</c> into the <c>deployment</c>, <c>statefulset</c>, … labels of the metrics.
/// </summary>
public static class MeshLabels
{
    public const string ControlPlaneNamespace = KubeLabels.ControlPlaneNamespace;

    public const string WorkloadNamespace = "linkerd.io/workload-ns";

    /// <summary><c>linkerd.io/proxy-deployment</c> and so on, valued with the owning workload's name.</summary>
    public const string ProxyOwnerPrefix = "linkerd.io/proxy-";

    /// <summary>The proxy version the pod was injected with.</summary>
    public const string ProxyVersionAnnotation = "linkerd.io/proxy-version";

    /// <summary>What injected the pod: <c>dashboard/cli VERSION</c>.</summary>
    public const string CreatedByAnnotation = "linkerd.io/created-by";
}
