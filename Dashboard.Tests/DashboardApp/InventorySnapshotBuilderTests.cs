using System.Collections.ObjectModel;
using Dashboard.Kubernetes;

namespace Dashboard.Tests.DashboardApp;

/// <summary>Owner resolution and MESHED counts on plain records.</summary>
public sealed class InventorySnapshotBuilderTests
{
    private static readonly Dictionary<(string, string), ReplicaSetRecord> ReplicaSets = new()
    {
        [("ns", "web-abc12")] = new("ns", "web-abc12", "web"),
        [("ns", "bare")] = new("ns", "bare", null),
    };

    [Theory]
    [InlineData("ReplicaSet", "web-abc12", null, "Deployment", "web")]             // known ReplicaSet
    [InlineData("ReplicaSet", "api-v2-5d8f7", "5d8f7", "Deployment", "api-v2")]     // unknown: hash label
    [InlineData("ReplicaSet", "api-v2-5d8f7", null, "Deployment", "api-v2")]        // unknown: last dash
    [InlineData("ReplicaSet", "bare", null, null, null)]                            // no Deployment above it
    [InlineData("ReplicaSet", "nodash", null, null, null)]
    [InlineData("StatefulSet", "db", null, "StatefulSet", "db")]
    [InlineData("DaemonSet", "agent", null, "DaemonSet", "agent")]
    [InlineData("Job", "migrate-29", null, "Job", "migrate-29")]
    [InlineData("Node", "node-1", null, null, null)]                                // a static pod
    [InlineData(null, null, null, null, null)]
    public void Owner_is_resolved_to_a_workload(string? kind, string? name, string? hash, string? expectedKind, string? expectedName)
    {
        var pod = Pod("p", ownerKind: kind, ownerName: name, hash: hash);

        var owner = InventorySnapshotBuilder.ResolveOwner(pod, ReplicaSets);

        Assert.Equal(expectedKind is null ? null : new WorkloadRef(expectedKind, "ns", expectedName!), owner);
    }

    [Fact]
    public void Counts_are_meshed_running_over_running_pods_per_workload_and_namespace()
    {
        var web = new WorkloadRef(WorkloadKinds.Deployment, "ns", "web");
        PodRecord[] pods =
        [
            Pod("a", meshed: true),
            Pod("b", meshed: false),
            Pod("c", meshed: true, phase: "Pending"),
            Pod("d", meshed: true, phase: "Succeeded"),
            Pod("e", meshed: true, ownerKind: null, ownerName: null),
        ];

        var snapshot = InventorySnapshotBuilder.Build(7, ["ns", "empty"], [new WorkloadRecord(web, ReadOnlyDictionary<string, string>.Empty)], ReplicaSets, pods);

        Assert.Equal(7, snapshot.Version);
        Assert.Equal((1, 2), (snapshot.GetWorkload(web)!.MeshedPods, snapshot.GetWorkload(web)!.RunningPods));
        Assert.Equal(new NamespaceInfo("ns", 2, 3), snapshot.GetNamespace("ns"));
        Assert.Equal(new NamespaceInfo("empty", 0, 0), snapshot.GetNamespace("empty"));
        Assert.Equal(["a", "b", "c", "d"], snapshot.PodsOf(web).Select(p => p.Name));
    }

    [Fact]
    public void Namespaces_of_pods_and_workloads_appear_before_their_own_event()
    {
        var job = new WorkloadRef(WorkloadKinds.Job, "batch", "nightly");
        var snapshot = InventorySnapshotBuilder.Build(1, ["ns"], [new WorkloadRecord(job, ReadOnlyDictionary<string, string>.Empty)], ReplicaSets,
            [Pod("x", ns: "late")]);

        Assert.Equal(["batch", "late", "ns"], snapshot.NamespaceNames);
    }

    [Fact]
    public void Workloads_are_ordered_by_namespace_then_kind_then_name()
    {
        var empty = ReadOnlyDictionary<string, string>.Empty;
        WorkloadRecord[] workloads =
        [
            new(new(WorkloadKinds.Job, "a", "j"), empty),
            new(new(WorkloadKinds.Deployment, "b", "z"), empty),
            new(new(WorkloadKinds.StatefulSet, "a", "s"), empty),
            new(new(WorkloadKinds.Deployment, "a", "y"), empty),
            new(new(WorkloadKinds.Deployment, "a", "x"), empty),
        ];

        var snapshot = InventorySnapshotBuilder.Build(1, [], workloads, ReplicaSets, []);

        Assert.Equal(["a/Deployment/x", "a/Deployment/y", "a/StatefulSet/s", "a/Job/j", "b/Deployment/z"],
            snapshot.Workloads.Select(w => w.Ref.ToString()));
        Assert.Equal(["x", "y"], snapshot.WorkloadsOf(WorkloadKinds.Deployment, "a").Select(w => w.Name));
        Assert.Equal(3, snapshot.WorkloadsOf(WorkloadKinds.Deployment).Count);
    }

    private static PodRecord Pod(
        string name,
        bool meshed = false,
        string phase = PodInfo.RunningPhase,
        string? ownerKind = "ReplicaSet",
        string? ownerName = "web-abc12",
        string? hash = null,
        string ns = "ns")
    {
        var labels = hash is null
            ? ReadOnlyDictionary<string, string>.Empty
            : new ReadOnlyDictionary<string, string>(new Dictionary<string, string> { [KubeLabels.PodTemplateHash] = hash });
        return new PodRecord(ns, name, phase, Ready: true, meshed, ownerKind, ownerName, "10.0.0.1", labels);
    }
}
