using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Dashboard.Kubernetes;

/// <summary>
/// An immutable view of the cluster at one moment: namespaces, workloads and pods, each ordered by
/// namespace then name, with the MESHED counts already computed. Readers hold on to one snapshot
/// for a whole render; the inventory swaps in a new one on change.
/// </summary>
public sealed class InventorySnapshot
{
    private readonly FrozenDictionary<string, NamespaceInfo> _namespaces;
    private readonly FrozenDictionary<WorkloadRef, WorkloadInfo> _workloads;
    private readonly FrozenDictionary<WorkloadRef, ImmutableArray<PodInfo>> _podsByOwner;
    private readonly FrozenDictionary<string, ImmutableArray<PodInfo>> _podsByNamespace;
    private readonly FrozenDictionary<(string Namespace, string Name), PodInfo> _pods;

    internal InventorySnapshot(long version, ImmutableArray<NamespaceInfo> namespaces, ImmutableArray<WorkloadInfo> workloads, ImmutableArray<PodInfo> pods)
    {
        Version = version;
        Namespaces = namespaces;
        Workloads = workloads;
        Pods = pods;
        _namespaces = namespaces.ToFrozenDictionary(n => n.Name, StringComparer.Ordinal);
        _workloads = workloads.ToFrozenDictionary(w => w.Ref);
        _podsByOwner = pods.Where(p => p.Owner is not null)
            .GroupBy(p => p.Owner!.Value)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray());
        _podsByNamespace = pods.GroupBy(p => p.Namespace, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        _pods = pods.ToFrozenDictionary(p => (p.Namespace, p.Name));
    }

    public static InventorySnapshot Empty { get; } = new(0, [], [], []);

    /// <summary>Increases with every rebuild, so a page can skip work when nothing changed.</summary>
    public long Version { get; }

    public ImmutableArray<NamespaceInfo> Namespaces { get; }

    /// <summary>Deployments, StatefulSets, DaemonSets and Jobs, ordered by namespace, kind, name.</summary>
    public ImmutableArray<WorkloadInfo> Workloads { get; }

    public ImmutableArray<PodInfo> Pods { get; }

    public IEnumerable<string> NamespaceNames => Namespaces.Select(n => n.Name);

    public NamespaceInfo? GetNamespace(string name) => _namespaces.GetValueOrDefault(name);

    public WorkloadInfo? GetWorkload(WorkloadRef workload) => _workloads.GetValueOrDefault(workload);

    /// <summary>The workloads of one kind, in one namespace or (null) all.</summary>
    public IReadOnlyList<WorkloadInfo> WorkloadsOf(string kind, string? @namespace = null) =>
        [.. Workloads.Where(w => w.Kind == kind && (@namespace is null || w.Namespace == @namespace))];

    /// <summary>The pods a workload owns, including those seen before the workload itself.</summary>
    public ImmutableArray<PodInfo> PodsOf(WorkloadRef workload) => _podsByOwner.GetValueOrDefault(workload, []);

    public ImmutableArray<PodInfo> PodsIn(string @namespace) => _podsByNamespace.GetValueOrDefault(@namespace, []);

    public PodInfo? GetPod(string @namespace, string name) => _pods.GetValueOrDefault((@namespace, name));
}
