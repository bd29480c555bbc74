using k8s;
using k8s.Models;

namespace Dashboard.Kubernetes;

/// <summary>The seven resources the inventory mirrors, each listed and watched in all namespaces.</summary>
internal sealed class InventoryReflectors
{
    public static readonly IReadOnlyList<string> Resources =
        ["namespaces", "pods", "replicasets", "deployments", "statefulsets", "daemonsets", "jobs"];

    public InventoryReflectors(ConnectionTracker tracker, InventoryTimings timings, TimeProvider timeProvider)
    {
        Namespaces = new(Resources[0],
            async (c, ct) => Items(await c.CoreV1.ListNamespaceAsync(cancellationToken: ct).ConfigureAwait(false)),
            (c, rv, s, e, ct) => c.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: s, onError: e, cancellationToken: ct),
            InventoryProjections.Namespace, tracker, timings, timeProvider);
        Pods = new(Resources[1],
            async (c, ct) => Items(await c.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)),
            (c, rv, s, e, ct) => c.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: s, onError: e, cancellationToken: ct),
            InventoryProjections.Pod, tracker, timings, timeProvider);
        ReplicaSets = new(Resources[2],
            async (c, ct) => Items(await c.AppsV1.ListReplicaSetForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)),
            (c, rv, s, e, ct) => c.AppsV1.WatchListReplicaSetForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: s, onError: e, cancellationToken: ct),
            InventoryProjections.ReplicaSet, tracker, timings, timeProvider);
        Deployments = new(Resources[3],
            async (c, ct) => Items(await c.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)),
            (c, rv, s, e, ct) => c.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: s, onError: e, cancellationToken: ct),
            d => InventoryProjections.Workload(WorkloadKinds.Deployment, d.Metadata), tracker, timings, timeProvider);
        StatefulSets = new(Resources[4],
            async (c, ct) => Items(await c.AppsV1.ListStatefulSetForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)),
            (c, rv, s, e, ct) => c.AppsV1.WatchListStatefulSetForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: s, onError: e, cancellationToken: ct),
            d => InventoryProjections.Workload(WorkloadKinds.StatefulSet, d.Metadata), tracker, timings, timeProvider);
        DaemonSets = new(Resources[5],
            async (c, ct) => Items(await c.AppsV1.ListDaemonSetForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)),
            (c, rv, s, e, ct) => c.AppsV1.WatchListDaemonSetForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: s, onError: e, cancellationToken: ct),
            d => InventoryProjections.Workload(WorkloadKinds.DaemonSet, d.Metadata), tracker, timings, timeProvider);
        Jobs = new(Resources[6],
            async (c, ct) => Items(await c.BatchV1.ListJobForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)),
            (c, rv, s, e, ct) => c.BatchV1.WatchListJobForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: s, onError: e, cancellationToken: ct),
            d => InventoryProjections.Workload(WorkloadKinds.Job, d.Metadata), tracker, timings, timeProvider);
        All = [Namespaces, Pods, ReplicaSets, Deployments, StatefulSets, DaemonSets, Jobs];
    }

    public ResourceReflector<V1Namespace, string> Namespaces { get; }

    public ResourceReflector<V1Pod, PodRecord> Pods { get; }

    public ResourceReflector<V1ReplicaSet, ReplicaSetRecord> ReplicaSets { get; }

    public ResourceReflector<V1Deployment, WorkloadRecord> Deployments { get; }

    public ResourceReflector<V1StatefulSet, WorkloadRecord> StatefulSets { get; }

    public ResourceReflector<V1DaemonSet, WorkloadRecord> DaemonSets { get; }

    public ResourceReflector<V1Job, WorkloadRecord> Jobs { get; }

    public IReadOnlyList<IResourceReflector> All { get; }

    public InventorySnapshot Build(long version) => InventorySnapshotBuilder.Build(
        version,
        Namespaces.Items.Values,
        Deployments.Items.Values.Concat(StatefulSets.Items.Values).Concat(DaemonSets.Items.Values).Concat(Jobs.Items.Values),
        ReplicaSets.Items,
        Pods.Items.Values);

    private static (IList<T> Items, string? ResourceVersion) Items<T>(IItems<T> list) =>
        (list.Items, (list as IMetadata<V1ListMeta>)?.Metadata?.ResourceVersion);
}
