using Dashboard.Kubernetes;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Tests.Kubernetes;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.DashboardApp;

/// <summary>The inventory when the API is away: at start, after sync, and when its resourceVersion expired meanwhile.</summary>
public sealed class KubernetesInventoryOutageTests
{
    [Fact]
    public async Task Api_down_at_start_is_unavailable_naming_the_url_then_recovers_by_itself()
    {
        var port = TestPorts.Free();
        var url = KubeApiOnPort.UrlOf(port);
        await using var inventory = await InventoryUnderTest.StartAsync(url);

        await inventory.WaitUntilAsync(i => i.Status.State == InventoryState.Unavailable, "Unavailable");
        var status = inventory.Inventory.Status;
        Assert.Equal(url, status.Url);
        Assert.Contains("refused", status.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Null(status.LastSyncedAt);
        Assert.Empty(inventory.Current.Pods);
        Assert.False(inventory.Inventory.WaitForSyncAsync(TestTimeouts.Token).IsCompleted);

        await using var api = await KubeApiOnPort.StartAsync(KubeSeed.Create(), port);

        await inventory.Inventory.WaitForSyncAsync(TestTimeouts.Token).Within();
        await inventory.WaitUntilAsync(i => i.Status.State == InventoryState.Connected, "Connected");
        Assert.Null(inventory.Inventory.Status.Reason);
        Assert.Equal(3, inventory.Current.Pods.Length);
    }

    [Fact]
    public async Task Api_lost_after_sync_keeps_the_data_then_catches_up_on_return()
    {
        var port = TestPorts.Free();
        var store = KubeSeed.Create();
        var api = await KubeApiOnPort.StartAsync(store, port);
        await using var inventory = await InventoryUnderTest.StartAsync(KubeApiOnPort.UrlOf(port));
        await inventory.Inventory.WaitForSyncAsync(TestTimeouts.Token).Within();

        await api.DisposeAsync();
        await inventory.WaitUntilAsync(i => i.Status.State == InventoryState.Unavailable, "Unavailable");
        Assert.Equal(3, inventory.Current.Pods.Length);
        Assert.NotNull(inventory.Inventory.Status.LastSyncedAt);

        // What changed while it was away arrives with the relist.
        store.Delete<V1Pod>(KubeSeed.Namespace, KubeSeed.Pod1);
        store.Upsert(KubeSeed.Pod("web-6d4cf56db6-back1", "10.42.0.20"));
        await using var back = await KubeApiOnPort.StartAsync(store, port);

        await inventory.WaitUntilAsync(
            i => i.Status.IsConnected && i.Current.GetPod(KubeSeed.Namespace, KubeSeed.Pod1) is null
                && i.Current.GetPod(KubeSeed.Namespace, "web-6d4cf56db6-back1") is not null,
            "reconnected and caught up");
    }

    [Fact]
    public async Task A_watch_resumed_after_its_history_expired_relists()
    {
        var store = KubeSeed.Create(new KubeStore(historyCapacity: 4));
        var port = TestPorts.Free();
        var podLists = 0;
        var requests = new List<string>();
        var holding = false;
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var api = await KubeApiOnPort.StartAsync(store, port, async (context, next) =>
        {
            lock (requests)
            {
                requests.Add($"{context.Request.Path}{context.Request.QueryString} holding={Volatile.Read(ref holding)}");
            }

            var isPods = context.Request.Path == "/api/v1/pods";
            var isWatch = context.Request.Query["watch"] == "true";
            if (isPods && !isWatch)
            {
                Interlocked.Increment(ref podLists);
            }
            else if (isPods && Volatile.Read(ref holding))
            {
                // The next pod watch waits here, resourceVersion in hand, while history moves past it.
                held.TrySetResult();
                await release.Task.WaitAsync(context.RequestAborted);
            }

            await next();
        });
        var timings = InventoryUnderTest.Fast with { WatchTimeout = TimeSpan.FromSeconds(1) };
        await using var inventory = await InventoryUnderTest.StartAsync(KubeApiOnPort.UrlOf(port), timings);
        await inventory.Inventory.WaitForSyncAsync(TestTimeouts.Token).Within();

        Volatile.Write(ref holding, true);
        await held.Task.Within();
        store.Delete<V1Pod>(KubeSeed.Namespace, KubeSeed.Pod1);
        for (var i = 0; i < 6; i++)
        {
            store.Upsert(KubeSeed.Pod($"web-6d4cf56db6-x{i}", $"10.42.3.{i}"));
        }

        Volatile.Write(ref holding, false);
        release.SetResult();

        await inventory.WaitUntilAsync(
            i => i.Current.GetPod(KubeSeed.Namespace, KubeSeed.Pod1) is null && i.Current.GetPod(KubeSeed.Namespace, "web-6d4cf56db6-x5") is not null,
            "the relist after 410 Expired");
        Assert.True(Volatile.Read(ref podLists) == 2, string.Join("\n", requests));
        Assert.Equal(InventoryState.Connected, inventory.Inventory.Status.State);
    }

    [Fact]
    public async Task A_kubeconfig_that_cannot_be_read_is_unavailable_naming_the_file()
    {
        var inventory = new KubernetesInventory(KubernetesSource.FromKubeconfig("/no/such/kubeconfig"),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<KubernetesInventory>.Instance, timings: InventoryUnderTest.Fast);
        var unavailable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = inventory.Subscribe(() =>
        {
            if (inventory.Status.State == InventoryState.Unavailable)
            {
                unavailable.TrySetResult();
            }
        });
        await inventory.StartAsync(TestTimeouts.Token).Within();
        try
        {
            await unavailable.Task.Within();
            Assert.Equal("kubeconfig /no/such/kubeconfig", inventory.Status.Url);
            Assert.Contains("/no/such/kubeconfig", inventory.Status.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await inventory.StopAsync(CancellationToken.None).Within();
            inventory.Dispose();
        }
    }

    [Fact]
    public async Task Refused_lists_are_reported_with_the_resource_and_the_servers_reason()
    {
        var port = TestPorts.Free();
        await using var api = await KubeApiOnPort.StartAsync(KubeSeed.Create(), port, (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/apis/batch/v1/jobs"))
            {
                return next();
            }

            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(
                """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"jobs.batch is forbidden: User \"dashboard\" cannot list resource \"jobs\"","reason":"Forbidden","code":403}""");
        });
        await using var inventory = await InventoryUnderTest.StartAsync(KubeApiOnPort.UrlOf(port));

        await inventory.WaitUntilAsync(i => i.Status.State == InventoryState.Unavailable && i.Current.Pods.Length == 3, "jobs refused, pods listed");
        Assert.Equal("jobs: HTTP 403 Forbidden: jobs.batch is forbidden: User \"dashboard\" cannot list resource \"jobs\"", inventory.Inventory.Status.Reason);
    }
}
