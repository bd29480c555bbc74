using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Kubernetes;

/// <summary>
/// KubernetesClient's watch over the server's streamed events. KubernetesClient 21 marks the
/// <c>ListXWithHttpMessagesAsync(watch: true).WatchAsync&lt;T, L&gt;()</c> route obsolete; the generated
/// <c>WatchListXAsync</c> methods replace it and send the same <c>?watch=true</c> request.
/// </summary>
public sealed class KubernetesClientWatchTests
{
    [Fact]
    public async Task Watch_starts_with_existing_pods_then_streams_changes()
    {
        await using var host = await KubeApiHost.StartAsync(KubeSeed.Create());
        using var client = host.CreateClient();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestTimeouts.Token);
        await using var events = client.CoreV1.WatchListNamespacedPodAsync(KubeSeed.Namespace, cancellationToken: stop.Token)
            .GetAsyncEnumerator(stop.Token);

        Assert.Equal((WatchEventType.Added, KubeSeed.Pod1), await NextAsync(events));
        Assert.Equal((WatchEventType.Added, KubeSeed.Pod2), await NextAsync(events));

        host.Store.Upsert(KubeSeed.Pod("web-6d4cf56db6-new01", "10.42.0.13"));
        Assert.Equal((WatchEventType.Added, "web-6d4cf56db6-new01"), await NextAsync(events));

        var changed = KubeSeed.Pod(KubeSeed.Pod2, "10.42.0.12");
        changed.Status.Phase = "Failed";
        host.Store.Upsert(changed);
        Assert.Equal((WatchEventType.Modified, KubeSeed.Pod2), await NextAsync(events));
        Assert.Equal("Failed", events.Current.Item2.Status.Phase);

        Assert.True(host.Store.Delete<V1Pod>(KubeSeed.Namespace, KubeSeed.Pod1));
        Assert.Equal((WatchEventType.Deleted, KubeSeed.Pod1), await NextAsync(events));

        // A pod in another namespace is outside this watch; the next event proves it was skipped.
        host.Store.Upsert(new V1Pod { Metadata = new() { Name = "elsewhere", NamespaceProperty = "other" } });
        host.Store.Delete<V1Pod>(KubeSeed.Namespace, KubeSeed.Pod2);
        Assert.Equal((WatchEventType.Deleted, KubeSeed.Pod2), await NextAsync(events));
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Watch_with_a_label_selector_sees_pods_enter_and_leave_it()
    {
        await using var host = await KubeApiHost.StartAsync(KubeSeed.Create());
        using var client = host.CreateClient();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestTimeouts.Token);
        await using var events = client.CoreV1.WatchListPodForAllNamespacesAsync(labelSelector: "tier=db", cancellationToken: stop.Token)
            .GetAsyncEnumerator(stop.Token);
        Assert.Equal((WatchEventType.Added, KubeSeed.OtherPod), await NextAsync(events));

        var relabelled = host.Store.Get<V1Pod>("other", KubeSeed.OtherPod)!;
        relabelled.Metadata.Labels["tier"] = "cache";
        host.Store.Upsert(relabelled);
        Assert.Equal((WatchEventType.Deleted, KubeSeed.OtherPod), await NextAsync(events));

        var joining = KubeSeed.Pod(KubeSeed.Pod1, "10.42.0.11");
        joining.Metadata.Labels["tier"] = "db";
        host.Store.Upsert(joining);
        Assert.Equal((WatchEventType.Added, KubeSeed.Pod1), await NextAsync(events));
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Stopping_the_host_ends_open_watches()
    {
        var host = await KubeApiHost.StartAsync(KubeSeed.Create());
        using var http = host.CreateHttpClient();
        using var response = await http.GetAsync("/api/v1/pods?watch=true", HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token).Within();
        var body = response.Content.ReadAsStringAsync(TestTimeouts.Token);

        // A watch that ignored shutdown would be cut after the host's shutdown timeout (LoopbackHost), its body an error.
        await host.DisposeAsync();

        Assert.Equal(3, (await body.Within()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static async Task<(WatchEventType, string)> NextAsync(IAsyncEnumerator<(WatchEventType, V1Pod)> events)
    {
        Assert.True(await events.MoveNextAsync().AsTask().Within(), "the watch ended early");
        return (events.Current.Item1, events.Current.Item2.Metadata.Name);
    }
}
