using Dashboard.Kubernetes;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Tests.Kubernetes;
using k8s.Models;

namespace Dashboard.Tests.DashboardApp;

/// <summary>The inventory against the in-memory Kubernetes API over real HTTP: sync, watch, counts, ownership.</summary>
public sealed class KubernetesInventoryTests
{
    private const string Ns = KubeSeed.Namespace;
    private static readonly WorkloadRef Web = new(WorkloadKinds.Deployment, Ns, "web");

    [Fact]
    public async Task Initial_sync_holds_namespaces_workloads_and_pods_with_their_owners()
    {
        var store = KubeSeed.Create();
        store.Upsert(new V1StatefulSet { Metadata = new() { Name = "db", NamespaceProperty = "other" } });
        await using var api = await KubeApiHost.StartAsync(store);
        await using var inventory = await InventoryUnderTest.StartAsync(api.Url);

        await inventory.Inventory.WaitForSyncAsync(TestTimeouts.Token).Within();

        var snapshot = inventory.Current;
        Assert.Equal(["default", "other"], snapshot.NamespaceNames);
        Assert.Equal([Web, new WorkloadRef(WorkloadKinds.StatefulSet, "other", "db")], snapshot.Workloads.Select(w => w.Ref));
        Assert.Equal([("default", KubeSeed.Pod1), ("default", KubeSeed.Pod2), ("other", KubeSeed.OtherPod)],
            snapshot.Pods.Select(p => (p.Namespace, p.Name)));
        var pod = snapshot.GetPod(Ns, KubeSeed.Pod1)!;
        Assert.Equal((PodInfo.RunningPhase, true, false, Web, "10.42.0.11"), (pod.Phase, pod.Ready, pod.Meshed, pod.Owner, pod.PodIp));
        Assert.Equal("web", pod.Labels["app"]);
        Assert.Null(snapshot.GetPod("other", KubeSeed.OtherPod)!.Owner);
        Assert.Equal([KubeSeed.Pod1, KubeSeed.Pod2], snapshot.PodsOf(Web).Select(p => p.Name));
        Assert.Equal(InventoryState.Connected, inventory.Inventory.Status.State);
        Assert.Equal(api.Url, inventory.Inventory.Status.Url);
        Assert.NotNull(inventory.Inventory.Status.LastSyncedAt);
    }

    [Fact]
    public async Task Pods_added_changed_and_deleted_in_the_store_are_seen()
    {
        await using var api = await KubeApiHost.StartAsync(KubeSeed.Create());
        await using var inventory = await InventoryUnderTest.StartAsync(api.Url);
        await inventory.Inventory.WaitForSyncAsync(TestTimeouts.Token).Within();

        api.Store.Upsert(KubeSeed.Pod("web-6d4cf56db6-new01", "10.42.0.13"));
        await inventory.WaitForPodAsync(Ns, "web-6d4cf56db6-new01");
        Assert.Equal(Web, inventory.Current.GetPod(Ns, "web-6d4cf56db6-new01")!.Owner);
        Assert.Equal(3, inventory.Current.GetWorkload(Web)!.RunningPods);

        var failing = KubeSeed.Pod("web-6d4cf56db6-new01", "10.42.0.13");
        failing.Status.Phase = "Failed";
        api.Store.Upsert(failing);
        await inventory.WaitForPodAsync(Ns, "web-6d4cf56db6-new01", p => p.Phase == "Failed");
        Assert.Equal(2, inventory.Current.GetWorkload(Web)!.RunningPods);

        api.Store.Delete<V1Pod>(Ns, "web-6d4cf56db6-new01");
        await inventory.WaitUntilAsync(i => i.Current.GetPod(Ns, "web-6d4cf56db6-new01") is null, "the pod to go");
        Assert.Equal(2, inventory.Current.PodsOf(Web).Length);
    }

    [Fact]
    public async Task Meshed_counts_only_running_pods_with_the_control_plane_label()
    {
        var store = KubeSeed.Create();
        store.Upsert(Meshed(KubeSeed.Pod(KubeSeed.Pod1, "10.42.0.11")));
        var pending = Meshed(KubeSeed.Pod("web-6d4cf56db6-pend1", "10.42.0.14"));
        pending.Status.Phase = "Pending";
        store.Upsert(pending);
        var db = store.Get<V1Pod>("other", KubeSeed.OtherPod)!;
        store.Upsert(Meshed(db));
        await using var api = await KubeApiHost.StartAsync(store);
        await using var inventory = await InventoryUnderTest.StartAsync(api.Url);
        await inventory.Inventory.WaitForSyncAsync(TestTimeouts.Token).Within();

        var web = inventory.Current.GetWorkload(Web)!;
        Assert.Equal((1, 2), (web.MeshedPods, web.RunningPods));
        Assert.Equal(new NamespaceInfo("default", 1, 2), inventory.Current.GetNamespace("default"));
        Assert.Equal(new NamespaceInfo("other", 1, 1), inventory.Current.GetNamespace("other"));
        Assert.True(inventory.Current.GetPod(Ns, "web-6d4cf56db6-pend1")!.Meshed);

        // Meshing the second pod is a label change: the counts follow the watch.
        store.Upsert(Meshed(KubeSeed.Pod(KubeSeed.Pod2, "10.42.0.12")));
        await inventory.WaitUntilAsync(i => i.Current.GetWorkload(Web)!.MeshedPods == 2, "web to be 2/2 meshed");
        Assert.Equal(new NamespaceInfo("default", 2, 2), inventory.Current.GetNamespace("default"));
    }

    [Fact]
    public async Task Pods_belong_to_the_deployment_of_their_replica_set_or_to_the_one_its_name_implies()
    {
        var store = KubeSeed.Create();
        // A ReplicaSet the API does not (yet) show: "api-7f9c8d" names deployment "api".
        store.Upsert(Owned("api-7f9c8d-aaaaa", "ReplicaSet", "api-7f9c8d", hash: "7f9c8d"));
        // A ReplicaSet of its own, without a Deployment.
        store.Upsert(new V1ReplicaSet { Metadata = new() { Name = "bare-rs", NamespaceProperty = Ns } });
        store.Upsert(Owned("bare-rs-bbbbb", "ReplicaSet", "bare-rs"));
        store.Upsert(new V1DaemonSet { Metadata = new() { Name = "agent", NamespaceProperty = Ns } });
        store.Upsert(Owned("agent-ccccc", "DaemonSet", "agent"));
        store.Upsert(new V1Job { Metadata = new() { Name = "migrate", NamespaceProperty = Ns } });
        store.Upsert(Owned("migrate-ddddd", "Job", "migrate"));
        await using var api = await KubeApiHost.StartAsync(store);
        await using var inventory = await InventoryUnderTest.StartAsync(api.Url);
        await inventory.Inventory.WaitForSyncAsync(TestTimeouts.Token).Within();

        var snapshot = inventory.Current;
        Assert.Equal(Web, snapshot.GetPod(Ns, KubeSeed.Pod1)!.Owner);
        Assert.Equal(new WorkloadRef(WorkloadKinds.Deployment, Ns, "api"), snapshot.GetPod(Ns, "api-7f9c8d-aaaaa")!.Owner);
        Assert.Null(snapshot.GetPod(Ns, "bare-rs-bbbbb")!.Owner);
        Assert.Equal(new WorkloadRef(WorkloadKinds.DaemonSet, Ns, "agent"), snapshot.GetPod(Ns, "agent-ccccc")!.Owner);
        Assert.Equal(new WorkloadRef(WorkloadKinds.Job, Ns, "migrate"), snapshot.GetPod(Ns, "migrate-ddddd")!.Owner);
        Assert.Equal(["web"], snapshot.WorkloadsOf(WorkloadKinds.Deployment, Ns).Select(w => w.Name));
        Assert.Equal(1, snapshot.GetWorkload(new WorkloadRef(WorkloadKinds.Job, Ns, "migrate"))!.RunningPods);

        // The ReplicaSet appears, owned by a Deployment of another name: ownership follows the owner reference.
        store.Upsert(new V1ReplicaSet
        {
            Metadata = new()
            {
                Name = "api-7f9c8d",
                NamespaceProperty = Ns,
                OwnerReferences = [new() { ApiVersion = "apps/v1", Kind = "Deployment", Name = "api-v2", Uid = "u1", Controller = true }],
            },
        });
        await inventory.WaitUntilAsync(i => i.Current.GetPod(Ns, "api-7f9c8d-aaaaa")!.Owner?.Name == "api-v2", "the owner reference to win");
    }

    [Fact]
    public async Task Subscribers_are_notified_coalesced_until_they_dispose()
    {
        await using var api = await KubeApiHost.StartAsync(KubeSeed.Create());
        await using var inventory = await InventoryUnderTest.StartAsync(api.Url);
        await inventory.Inventory.WaitForSyncAsync(TestTimeouts.Token).Within();
        var calls = 0;
        var subscription = inventory.Inventory.Subscribe(() => Interlocked.Increment(ref calls));

        for (var i = 0; i < 50; i++)
        {
            api.Store.Upsert(KubeSeed.Pod($"web-6d4cf56db6-b{i:D4}", $"10.42.2.{i}"));
        }

        await inventory.WaitForPodAsync(Ns, "web-6d4cf56db6-b0049");
        Assert.InRange(Volatile.Read(ref calls), 1, 25);
        subscription.Dispose();
        var afterDispose = Volatile.Read(ref calls);
        api.Store.Delete<V1Pod>(Ns, "web-6d4cf56db6-b0049");
        await inventory.WaitUntilAsync(i => i.Current.GetPod(Ns, "web-6d4cf56db6-b0049") is null, "the delete");
        Assert.Equal(afterDispose, Volatile.Read(ref calls));
    }

    internal static V1Pod Meshed(V1Pod pod)
    {
        pod.Metadata.Labels ??= new Dictionary<string, string>();
        pod.Metadata.Labels[KubeLabels.ControlPlaneNamespace] = "linkerd";
        return pod;
    }

    private static V1Pod Owned(string name, string kind, string owner, string? hash = null) => new()
    {
        Metadata = new()
        {
            Name = name,
            NamespaceProperty = Ns,
            Labels = hash is null ? null : new Dictionary<string, string> { [KubeLabels.PodTemplateHash] = hash },
            OwnerReferences = [new() { ApiVersion = "apps/v1", Kind = kind, Name = owner, Uid = Guid.NewGuid().ToString(), Controller = true }],
        },
        Status = new() { Phase = PodInfo.RunningPhase, PodIP = "10.42.9.9" },
    };
}
