using System.Collections.Frozen;
using System.Collections.Immutable;
using Dashboard.Model;

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

    /// <summary>
    /// The pods of any resource: a namespace's, a workload's (<see cref="PodsOf(WorkloadRef)"/>), or a pod itself. What
    /// tap targets, a resource page's pods and an edge's identities all mean by "its pods".
    /// </summary>
    public ImmutableArray<PodInfo> PodsOf(ResourceKey resource) => resource.Kind switch
    {
        WorkloadKind.Namespace => PodsIn(resource.Name),
        WorkloadKind.Pod => GetPod(resource.Namespace, resource.Name) is { } pod ? [pod] : [],
        _ => PodsOf(WorkloadOf(resource)),
    };

    /// <summary>Whether the resource exists now: it is listed, or (a workload) pods it owns are, seen before it.</summary>
    public bool Contains(ResourceKey resource) => resource.Kind switch
    {
        WorkloadKind.Namespace => GetNamespace(resource.Name) is not null,
        WorkloadKind.Pod => GetPod(resource.Namespace, resource.Name) is not null,
        _ => GetWorkload(WorkloadOf(resource)) is not null || !PodsOf(WorkloadOf(resource)).IsEmpty,
    };

    /// <summary>The workload of <paramref name="resource"/>, which is one of <see cref="WorkloadKindExtensions.Workloads"/>.</summary>
    public WorkloadInfo? GetWorkload(ResourceKey resource) =>
        resource.Kind is WorkloadKind.Namespace or WorkloadKind.Pod ? null : GetWorkload(WorkloadOf(resource));

    /// <summary>The workloads of one kind, in one namespace or (null) all.</summary>
    public IReadOnlyList<WorkloadInfo> WorkloadsOf(WorkloadKind kind, string? @namespace = null) => WorkloadsOf(kind.DisplayName(), @namespace);

    /// <summary>The resource that owns <paramref name="pod"/> when it is a kind with pages (a Deployment, not a bare pod's nothing).</summary>
    public static ResourceKey? OwnerOf(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Owner is { } owner && WorkloadKindExtensions.TryParseKubernetesKind(owner.Kind, out var kind) && WorkloadKindExtensions.Workloads.Contains(kind)
            ? new ResourceKey(kind, owner.Namespace, owner.Name)
            : null;
    }

    private static WorkloadRef WorkloadOf(ResourceKey resource) => new(resource.Kind.DisplayName(), resource.Namespace, resource.Name);

    public ImmutableArray<PodInfo> PodsIn(string @namespace) => _podsByNamespace.GetValueOrDefault(@namespace, []);

    public PodInfo? GetPod(string @namespace, string name) => _pods.GetValueOrDefault((@namespace, name));
}
