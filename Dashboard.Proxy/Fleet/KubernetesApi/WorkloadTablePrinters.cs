using k8s.Models;
using static Dashboard.Proxy.Fleet.KubernetesApi.KubeTableFormat;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>The columns of <c>kubectl get deploy|rs|sts|ds</c>. Missing replica counts read as the API defaults them (1).</summary>
internal static class WorkloadTablePrinters
{
    public static KubeTablePrinter Deployment { get; } = KubeTablePrinter.Create<V1Deployment>(
    [
        KubeTableColumns.Name,
        new("Ready", "Number of the pod with ready state."),
        new("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", Type: "integer"),
        new("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", Type: "integer"),
        KubeTableColumns.Age,
        KubeTableColumns.Containers,
        KubeTableColumns.Images,
        KubeTableColumns.Selector,
    ], static (d, now) =>
    [
        d.Metadata.Name,
        $"{d.Status?.ReadyReplicas ?? 0}/{d.Spec?.Replicas ?? 1}",
        d.Status?.UpdatedReplicas ?? 0,
        d.Status?.AvailableReplicas ?? 0,
        Age(d.Metadata, now),
        ContainerNames(d.Spec?.Template),
        Images(d.Spec?.Template),
        Selector(d.Spec?.Selector),
    ]);

    public static KubeTablePrinter ReplicaSet { get; } = KubeTablePrinter.Create<V1ReplicaSet>(
    [
        KubeTableColumns.Name,
        new("Desired", "Number of desired pods.", Type: "integer"),
        new("Current", "Number of actual pods.", Type: "integer"),
        new("Ready", "Number of ready pods.", Type: "integer"),
        KubeTableColumns.Age,
        KubeTableColumns.Containers,
        KubeTableColumns.Images,
        KubeTableColumns.Selector,
    ], static (rs, now) =>
    [
        rs.Metadata.Name,
        rs.Spec?.Replicas ?? 1,
        rs.Status?.Replicas ?? 0,
        rs.Status?.ReadyReplicas ?? 0,
        Age(rs.Metadata, now),
        ContainerNames(rs.Spec?.Template),
        Images(rs.Spec?.Template),
        Selector(rs.Spec?.Selector),
    ]);

    public static KubeTablePrinter StatefulSet { get; } = KubeTablePrinter.Create<V1StatefulSet>(
    [
        KubeTableColumns.Name,
        new("Ready", "Number of the pod with ready state."),
        KubeTableColumns.Age,
        KubeTableColumns.Containers,
        KubeTableColumns.Images,
    ], static (s, now) =>
    [
        s.Metadata.Name,
        $"{s.Status?.ReadyReplicas ?? 0}/{s.Spec?.Replicas ?? 1}",
        Age(s.Metadata, now),
        ContainerNames(s.Spec?.Template),
        Images(s.Spec?.Template),
    ]);

    public static KubeTablePrinter DaemonSet { get; } = KubeTablePrinter.Create<V1DaemonSet>(
    [
        KubeTableColumns.Name,
        new("Desired", "The total number of nodes that should be running the daemon pod.", Type: "integer"),
        new("Current", "The number of nodes running at least one daemon pod that are supposed to.", Type: "integer"),
        new("Ready", "The number of nodes running the daemon pod with a Ready condition.", Type: "integer"),
        new("Up-to-date", "The number of nodes running the updated daemon pod.", Type: "integer"),
        new("Available", "The number of nodes running the daemon pod available for at least minReadySeconds.", Type: "integer"),
        new("Node Selector", "Nodes the daemon pod must be scheduled on."),
        KubeTableColumns.Age,
        KubeTableColumns.Containers,
        KubeTableColumns.Images,
        KubeTableColumns.Selector,
    ], static (ds, now) =>
    [
        ds.Metadata.Name,
        ds.Status?.DesiredNumberScheduled ?? 0,
        ds.Status?.CurrentNumberScheduled ?? 0,
        ds.Status?.NumberReady ?? 0,
        ds.Status?.UpdatedNumberScheduled ?? 0,
        ds.Status?.NumberAvailable ?? 0,
        Labels(ds.Spec?.Template?.Spec?.NodeSelector),
        Age(ds.Metadata, now),
        ContainerNames(ds.Spec?.Template),
        Images(ds.Spec?.Template),
        Selector(ds.Spec?.Selector),
    ]);
}
