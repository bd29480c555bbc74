using k8s.Models;
using static Dashboard.Proxy.Fleet.KubernetesApi.KubeTableFormat;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>The columns of cluster-scoped resources: <c>kubectl get ns</c>.</summary>
internal static class ClusterTablePrinters
{
    // The API server defaults a namespace's phase to Active; seeded objects often leave it out.
    public static KubeTablePrinter Namespace { get; } = KubeTablePrinter.Create<V1Namespace>(
    [
        KubeTableColumns.Name,
        new("Status", "The status of the namespace."),
        KubeTableColumns.Age,
    ], static (ns, now) =>
    [
        ns.Metadata.Name,
        ns.Status?.Phase ?? "Active",
        Age(ns.Metadata, now),
    ]);
}
