using Dashboard.Kubernetes;
using Dashboard.Model;
using Dashboard.Services;
using Dashboard.Tap;

namespace Dashboard.Tests.DashboardApp;

/// <summary>
/// "The pods of a resource" and "the resource exists" mean one thing everywhere: a tap's targets, a resource page's
/// pods table and the inventory snapshot agree for every kind, bare pods and namespaces included (a pod's page once
/// listed no pods while tapping it found one, and a deployment whose pods were seen before it could be tapped yet
/// showed as not found).
/// </summary>
public sealed class ResourcePodsTests
{
    private static readonly InventorySnapshot Snapshot = InventorySnapshotBuilder.Build(1, ["default", "empty"],
        [new WorkloadRecord(new WorkloadRef(WorkloadKinds.Deployment, "default", "web"), new Dictionary<string, string>())],
        new Dictionary<(string, string), ReplicaSetRecord>
        {
            [("default", "web-5d8f7")] = new("default", "web-5d8f7", "web"),
            [("default", "late-6c9e1")] = new("default", "late-6c9e1", "late"),
        },
        [
            Pod("web-5d8f7-a", "ReplicaSet", "web-5d8f7", "10.0.0.1"),
            Pod("web-5d8f7-b", "ReplicaSet", "web-5d8f7", "10.0.0.2"),
            // The Deployment "late" is not listed yet; its pod is.
            Pod("late-6c9e1-a", "ReplicaSet", "late-6c9e1", "10.0.0.3"),
            Pod("solo", null, null, "10.0.0.4"),
        ]);

    public static TheoryData<string, string[]> Resources => new()
    {
        { "default/deployments/web", ["web-5d8f7-a", "web-5d8f7-b"] },
        { "default/deployments/late", ["late-6c9e1-a"] },
        { "default/pods/solo", ["solo"] },
        { "default/pods/web-5d8f7-a", ["web-5d8f7-a"] },
        { "namespaces/default", ["late-6c9e1-a", "solo", "web-5d8f7-a", "web-5d8f7-b"] },
    };

    [Theory]
    [MemberData(nameof(Resources))]
    public void Tap_the_pods_table_and_the_snapshot_find_the_same_pods(string resource, string[] pods)
    {
        var key = Key(resource);

        Assert.True(Snapshot.Contains(key));
        Assert.Equal(pods, Snapshot.PodsOf(key).Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(pods, TappedPods(key));
        Assert.Equal(pods, StatTableService.Rows(Snapshot, TableScope.Related(key, TableRelation.Pods)).Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("default/deployments/ghost", "deployment ghost does not exist in namespace default")]
    [InlineData("default/pods/ghost", "pod ghost does not exist in namespace default")]
    [InlineData("default/statefulsets/web", "statefulset web does not exist in namespace default")]
    public void A_resource_the_inventory_does_not_know_does_not_exist_for_any_of_them(string resource, string tapError)
    {
        var key = Key(resource);

        Assert.False(Snapshot.Contains(key));
        Assert.Empty(Snapshot.PodsOf(key));
        Assert.Empty(StatTableService.Rows(Snapshot, TableScope.Related(key, TableRelation.Pods)));
        Assert.Equal(tapError, Assert.Throws<TapQueryException>(() => TappedPods(key)).Message);
    }

    [Fact]
    public void A_pods_owner_is_the_workload_whose_pods_it_is_among()
    {
        var pod = Snapshot.GetPod("default", "web-5d8f7-a")!;

        var owner = InventorySnapshot.OwnerOf(pod);

        Assert.Equal(new ResourceKey(WorkloadKind.Deployment, "default", "web"), owner);
        Assert.Contains(pod, Snapshot.PodsOf(owner!.Value));
        Assert.Null(InventorySnapshot.OwnerOf(Snapshot.GetPod("default", "solo")!));
    }

    private static string[] TappedPods(ResourceKey key)
    {
        var resource = key.Kind == WorkloadKind.Namespace ? null : new TapResource(key.Kind, key.Name) as TapResource?;
        var targets = TapTargetResolver.Resolve(Snapshot, new TapQuery { Namespace = key.Namespace, Resource = resource });
        return [.. targets.Targets.Select(t => t.Pod).Concat(targets.Skipped.Select(s => s.Pod)).Order(StringComparer.Ordinal)];
    }

    private static ResourceKey Key(string text) => text.Split('/') switch
    {
        ["namespaces", var name] => ResourceKey.ForNamespace(name),
        [var ns, var segment, var name] when WorkloadKindExtensions.TryParseUrlSegment(segment, out var kind) => new ResourceKey(kind, ns, name),
        _ => throw new ArgumentException($"'{text}' is not namespaces/NAME or NAMESPACE/KIND/NAME", nameof(text)),
    };

    private static PodRecord Pod(string name, string? ownerKind, string? ownerName, string ip) =>
        new("default", name, PodInfo.RunningPhase, true, true, ownerKind, ownerName, ip, new Dictionary<string, string>());
}
