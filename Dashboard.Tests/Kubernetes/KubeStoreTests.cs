using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Kubernetes;

public sealed class KubeStoreTests
{
    [Fact]
    public void Upsert_assigns_metadata_and_keeps_uid_and_creation_across_updates()
    {
        var store = new KubeStore();
        store.Upsert(KubeSeed.Pod("a", "10.0.0.1"));
        var first = store.Get<V1Pod>(KubeSeed.Namespace, "a")!;
        store.Upsert(KubeSeed.Pod("a", "10.0.0.2"));
        var second = store.Get<V1Pod>(KubeSeed.Namespace, "a")!;

        Assert.Equal(("v1", "Pod"), (first.ApiVersion, first.Kind));
        Assert.Equal(("1", "2"), (first.Metadata.ResourceVersion, second.Metadata.ResourceVersion));
        Assert.Equal(first.Metadata.Uid, second.Metadata.Uid);
        Assert.Equal(first.Metadata.CreationTimestamp, second.Metadata.CreationTimestamp);
        Assert.Equal("10.0.0.2", second.Status.PodIP);
        Assert.Equal(2, store.ResourceVersion);
    }

    [Fact]
    public void Objects_are_copied_in_and_out()
    {
        var store = new KubeStore();
        var pod = KubeSeed.Pod("a", "10.0.0.1");
        store.Upsert(pod);
        pod.Status.PodIP = "changed after upsert";
        store.Get<V1Pod>(KubeSeed.Namespace, "a")!.Status.PodIP = "changed after get";

        Assert.Equal("10.0.0.1", Assert.Single(store.List<V1Pod>()).Status.PodIP);
        Assert.Null(pod.Metadata.ResourceVersion);
    }

    [Fact]
    public void Lists_are_per_type_and_namespace_ordered_by_namespace_then_name()
    {
        var store = KubeSeed.Create();

        Assert.Equal(
            [(KubeSeed.Namespace, KubeSeed.Pod1), (KubeSeed.Namespace, KubeSeed.Pod2), ("other", KubeSeed.OtherPod)],
            store.List<V1Pod>().Select(p => (p.Metadata.NamespaceProperty, p.Metadata.Name)));
        Assert.Equal([KubeSeed.Pod1, KubeSeed.Pod2], store.List<V1Pod>(KubeSeed.Namespace).Select(p => p.Metadata.Name));
        Assert.Single(store.List<V1Deployment>());
        Assert.False(store.Delete<V1Deployment>(KubeSeed.Namespace, "nope"));
        Assert.Null(store.Get<V1Pod>("other", KubeSeed.Pod1));
    }

    [Fact]
    public async Task A_watcher_that_falls_behind_is_dropped_instead_of_blocking_upserts()
    {
        var store = new KubeStore(watcherCapacity: 2);
        using var slow = store.Watch(typeof(V1Pod), static _ => true, afterResourceVersion: null)!;

        for (var i = 0; i < 5; i++)
        {
            store.Upsert(KubeSeed.Pod($"p{i}", "10.0.0.1"));
        }

        Assert.True(slow.Overflowed);
        var delivered = new List<string>();
        while (slow.Events.TryRead(out var e))
        {
            delivered.Add(e.Entry.Name);
        }
        await slow.Events.Completion.Within();
        Assert.Equal(["p0", "p1"], delivered);
    }

    [Fact]
    public void A_watch_replays_history_after_a_resource_version_and_refuses_one_too_old()
    {
        var store = new KubeStore(historyCapacity: 3);
        for (var i = 0; i < 5; i++)
        {
            store.Upsert(KubeSeed.Pod($"p{i}", "10.0.0.1"));
        }
        store.Delete<V1Pod>(KubeSeed.Namespace, "p4");

        using var resumed = store.Watch(typeof(V1Pod), static _ => true, afterResourceVersion: 4)!;

        Assert.Equal([(WatchEventType.Added, "p4"), (WatchEventType.Deleted, "p4")], resumed.Initial.Select(e => (e.Type, e.Entry.Name)));
        Assert.Equal("6", resumed.Initial[^1].Entry.Object.Metadata.ResourceVersion);
        Assert.Null(store.Watch(typeof(V1Pod), static _ => true, afterResourceVersion: 2));
    }
}
