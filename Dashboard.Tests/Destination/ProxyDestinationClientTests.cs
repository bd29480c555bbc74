using System.Net;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Tests.Proxy;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Destination;

/// <summary>
/// A real proxy with <c>MESH_PROXY_DESTINATION_SVC_ADDR</c> set, asking a real destination service on loopback that watches a
/// Kubernetes API served from a store: Service default/ml, whose pods are upstreams of the test on 127.0.0.1.
/// </summary>
public sealed class ProxyDestinationClientTests
{
    [Fact]
    public async Task Requests_reach_the_service_endpoints_with_dst_labels_and_only_called_services_are_subscribed()
    {
        var hits = new int[2];
        await using var podA = await Upstream.StartAsync(c => { Interlocked.Increment(ref hits[0]); return c.Response.WriteAsync("a"); });
        await using var podB = await Upstream.StartAsync(c => { Interlocked.Increment(ref hits[1]); return c.Response.WriteAsync("b"); });
        var store = new KubeStore();
        OutboundDiscoveryTests.AddService(store, "ml", (OutboundDiscoveryTests.Pod("ml-7f9c6d5b8-aaaaa"), podA.Port), (OutboundDiscoveryTests.Pod("ml-7f9c6d5b8-bbbbb"), podB.Port));
        OutboundDiscoveryTests.AddService(store, "db", (OutboundDiscoveryTests.Pod("db-7f9c6d5b8-ddddd"), podA.Port));
        await using var destination = await StartDestinationAsync(store);
        await using var proxy = await StartProxyAsync(destination);

        // The very first request waits for the service's answer: none goes out unlabelled by DNS.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).StatusCode);
        }

        Assert.Equal([2, 2], hits);
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(4, metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "outbound"), (LabelNames.DstNamespace, "default"),
            (LabelNames.DstService, "ml"), (LabelNames.DstDeployment, "ml"), (LabelNames.Classification, "success")));
        Assert.Equal(2, metrics.Sum(MetricNames.ResponseTotal, (LabelNames.DstPod, "ml-7f9c6d5b8-bbbbb"), (LabelNames.TargetAddr, $"127.0.0.1:{podB.Port}")));
        Assert.Equal(1, destination.Host.Streams.Open("authority ml"));
        Assert.Equal(0, destination.Host.Streams.Open("authority db"));
        Assert.Equal(1, Assert.IsType<DestinationServiceResolver>(proxy.Instance.Resolver).SubscriptionCount);
    }

    [Fact]
    public async Task Scaling_the_deployment_reaches_the_proxy_and_the_new_pod_gets_traffic()
    {
        var late = 0;
        await using var podA = await Upstream.StartAsync(c => c.Response.WriteAsync("a"));
        await using var podC = await Upstream.StartAsync(c => { Interlocked.Increment(ref late); return c.Response.WriteAsync("c"); });
        var store = new KubeStore();
        OutboundDiscoveryTests.AddService(store, "ml", (OutboundDiscoveryTests.Pod("ml-7f9c6d5b8-aaaaa"), podA.Port));
        await using var destination = await StartDestinationAsync(store);
        await using var proxy = await StartProxyAsync(destination);
        Assert.Equal(HttpStatusCode.OK, (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).StatusCode);

        OutboundDiscoveryTests.AddService(store, "ml", (OutboundDiscoveryTests.Pod("ml-7f9c6d5b8-ccccc"), podC.Port));

        await TestTimeouts.Eventually(async () => (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).IsSuccessStatusCode && Volatile.Read(ref late) > 0,
            "the new pod to get traffic");
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.True(metrics.Sum(MetricNames.ResponseTotal, (LabelNames.DstPod, "ml-7f9c6d5b8-ccccc"), (LabelNames.DstService, "ml")) >= 1);
    }

    [Fact]
    public async Task With_the_service_down_traffic_flows_to_known_endpoints_and_after_its_restart_a_change_made_meanwhile_arrives()
    {
        var late = 0;
        await using var podA = await Upstream.StartAsync(c => c.Response.WriteAsync("a"));
        await using var podC = await Upstream.StartAsync(c => { Interlocked.Increment(ref late); return c.Response.WriteAsync("c"); });
        var store = new KubeStore();
        OutboundDiscoveryTests.AddService(store, "ml", (OutboundDiscoveryTests.Pod("ml-7f9c6d5b8-aaaaa"), podA.Port));
        await using var destination = await StartDestinationAsync(store);
        await using var proxy = await StartProxyAsync(destination);
        Assert.Equal(HttpStatusCode.OK, (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).StatusCode);

        await destination.StopAsync();
        for (var i = 0; i < 3; i++)
        {
            var response = await OutboundDiscoveryTests.SendAsync(proxy, "ml");
            Assert.Equal("a", await response.Content.ReadAsStringAsync(TestTimeouts.Token));
        }

        OutboundDiscoveryTests.AddService(store, "ml", (OutboundDiscoveryTests.Pod("ml-7f9c6d5b8-ccccc"), podC.Port));
        await destination.RestartAsync();

        await TestTimeouts.Eventually(async () => (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).IsSuccessStatusCode && Volatile.Read(ref late) > 0,
            "the pod added while the destination service was down to get traffic");
        Assert.Equal(1, destination.Host.Streams.Open("authority ml"));
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(0, metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "outbound"), (LabelNames.DstService, "")));
    }

    [Fact]
    public async Task A_service_without_endpoints_answers_503_and_an_unknown_name_goes_by_dns_unlabelled()
    {
        await using var app = await Upstream.StartAsync(c => c.Response.WriteAsync("direct"));
        var store = new KubeStore();
        OutboundDiscoveryTests.AddService(store, "empty");
        await using var destination = await StartDestinationAsync(store);
        await using var proxy = await StartProxyAsync(destination);

        var empty = await OutboundDiscoveryTests.SendAsync(proxy, "empty");
        var direct = await OutboundDiscoveryTests.SendAsync(proxy, $"localhost:{app.Port}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, empty.StatusCode);
        Assert.Contains("service default/empty has no ready endpoints", await empty.Content.ReadAsStringAsync(TestTimeouts.Token), StringComparison.Ordinal);
        Assert.Equal("direct", await direct.Content.ReadAsStringAsync(TestTimeouts.Token));
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (LabelNames.DstService, "empty"), (LabelNames.Error, "no_endpoints")));
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (LabelNames.TargetAddr, $"localhost:{app.Port}"), (LabelNames.DstService, ""), (LabelNames.StatusCode, "200")));
    }

    [Fact]
    public async Task Scaling_down_reaches_the_proxy_and_the_removed_pod_gets_no_more_traffic()
    {
        await using var pods = await PodsAsync("a", "b");
        await using var destination = await StartDestinationAsync(pods.Store);
        await using var proxy = await StartProxyAsync(destination);
        Assert.Equal(["a", "b"], (await BodiesAsync(proxy, "ml", 2)).Order());

        Assert.True(pods.Store.Delete<V1EndpointSlice>("default", Pod("b")));

        await UntilReachedAsync("a removed endpoint", async () => !(await BodiesAsync(proxy, "ml", 4)).Contains("b"));
        Assert.Equal(["a", "a", "a", "a", "a", "a"], await BodiesAsync(proxy, "ml", 6));
    }

    [Fact]
    public async Task A_pod_turning_not_ready_reaches_the_proxy_and_gets_no_more_traffic()
    {
        await using var pods = await PodsAsync("a", "b");
        await using var destination = await StartDestinationAsync(pods.Store);
        await using var proxy = await StartProxyAsync(destination);
        Assert.Equal(["a", "b"], (await BodiesAsync(proxy, "ml", 2)).Order());

        var slice = pods.Store.Get<V1EndpointSlice>("default", Pod("b"))!;
        slice.Endpoints[0].Conditions.Ready = false;
        pods.Store.Upsert(slice);

        await UntilReachedAsync("a pod turning not ready", async () => !(await BodiesAsync(proxy, "ml", 4)).Contains("b"));
        Assert.Equal(["a", "a", "a", "a", "a", "a"], await BodiesAsync(proxy, "ml", 6));
    }

    [Fact]
    public async Task A_deleted_service_reaches_the_proxy_which_answers_as_for_a_name_it_does_not_know()
    {
        await using var pods = await PodsAsync("a");
        await using var destination = await StartDestinationAsync(pods.Store);
        await using var proxy = await StartProxyAsync(destination);
        Assert.Equal(["a"], await BodiesAsync(proxy, "ml", 1));
        var unknown = (await OutboundDiscoveryTests.SendAsync(proxy, "nothing")).StatusCode;
        Assert.NotEqual(HttpStatusCode.OK, unknown);

        Assert.True(pods.Store.Delete<V1Service>("default", "ml"));

        await UntilReachedAsync("a deleted Service", async () => (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).StatusCode == unknown);
        var before = pods.Hits;
        Assert.Equal(unknown, (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).StatusCode);
        Assert.Equal(before, pods.Hits);
    }

    [Fact]
    public async Task A_service_the_proxy_never_called_is_never_subscribed()
    {
        await using var pods = await PodsAsync("a");
        OutboundDiscoveryTests.AddService(pods.Store, "db", (OutboundDiscoveryTests.Pod("db-7f9c6d5b8-ddddd"), 1));
        await using var destination = await StartDestinationAsync(pods.Store);
        await using var proxy = await StartProxyAsync(destination);

        Assert.Equal(["a", "a"], await BodiesAsync(proxy, "ml", 2));

        var resolver = Assert.IsType<DestinationServiceResolver>(proxy.Instance.Resolver);
        Assert.Equal(0, destination.Host.Streams.Open("authority db"));
        Assert.Equal(1, resolver.SubscriptionCount);
        Assert.NotNull(resolver.Resolve("ml"));
        Assert.Equal(1, (await proxy.ScrapeAsync()).Sum(MetricNames.ControlDestinationSubscriptions, (LabelNames.Addr, destination.Address)));
    }

    [Fact]
    public async Task With_the_service_unreachable_from_the_start_a_request_waits_only_the_bound_then_goes_by_dns()
    {
        await using var app = await Upstream.StartAsync(c => c.Response.WriteAsync("direct"));
        await using var proxy = await TestProxy.StartAsync("127.0.0.1:1", new Dictionary<string, string>
        {
            [ProxyEnvironment.DestinationServiceAddr] = $"127.0.0.1:{TestPorts.Free()}",
        });

        var response = await OutboundDiscoveryTests.SendAsync(proxy, $"localhost:{app.Port}");

        Assert.Equal("direct", await response.Content.ReadAsStringAsync(TestTimeouts.Token));
    }

    private static string Pod(string letter) => $"ml-7f9c6d5b8-{new string(letter[0], 5)}";

    /// <summary>Service default/ml with one pod per letter, each answering its letter.</summary>
    private static async Task<Pods> PodsAsync(params string[] letters)
    {
        var pods = new Pods();
        foreach (var letter in letters)
        {
            pods.Upstreams.Add(await Upstream.StartAsync(c => { Interlocked.Increment(ref pods.HitCount); return c.Response.WriteAsync(letter); }));
        }

        OutboundDiscoveryTests.AddService(pods.Store, "ml", [.. letters.Select((l, i) => (OutboundDiscoveryTests.Pod(Pod(l)), pods.Upstreams[i].Port))]);
        return pods;
    }

    private static async Task<List<string>> BodiesAsync(TestProxy proxy, string host, int count)
    {
        var bodies = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var response = await OutboundDiscoveryTests.SendAsync(proxy, host);
            bodies.Add(await response.Content.ReadAsStringAsync(TestTimeouts.Token));
        }

        return bodies;
    }

    /// <summary>Waits for a change to show at the proxy and logs how long it took (benchmarks hold the number to a bound, not tests).</summary>
    private static async Task UntilReachedAsync(string change, Func<Task<bool>> reached)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await TestTimeouts.Eventually(reached, $"{change} to reach the proxy");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{change} reached the proxy in {System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds:F0} ms");
    }

    internal static async Task<TestDestination> StartDestinationAsync(KubeStore store)
    {
        var destination = await TestDestination.StartAsync(store);
        await TestTimeouts.Eventually(() => Task.FromResult(destination.Host.IsSynced), "the destination service to sync");
        return destination;
    }

    internal static Task<TestProxy> StartProxyAsync(TestDestination destination, TimeProvider? time = null, LogCapture? logs = null) =>
        TestProxy.StartAsync("127.0.0.1:1", new Dictionary<string, string>
        {
            [ProxyEnvironment.DestinationServiceAddr] = destination.Address,
            [ProxyEnvironment.PodNamespace] = "default",
        }, time: time, logs: logs);

    private sealed class Pods : IAsyncDisposable
    {
        public int HitCount;

        public KubeStore Store { get; } = new();

        public List<Upstream> Upstreams { get; } = [];

        public int Hits => Volatile.Read(ref HitCount);

        public async ValueTask DisposeAsync()
        {
            foreach (var upstream in Upstreams)
            {
                await upstream.DisposeAsync();
            }
        }
    }
}
