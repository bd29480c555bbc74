using System.Net;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Tests.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using static Dashboard.Tests.Destination.ProxyDestinationClientTests;

namespace Dashboard.Tests.Destination;

/// <summary>
/// Operating a proxy that asks a destination service: idle subscriptions dropped, the <c>control_*</c> metrics, what
/// <c>/ready</c> says and what is logged while the service is down. A real proxy and a real service on loopback.
/// </summary>
public sealed class ProxyDestinationOperationsTests
{
    [Fact]
    public async Task A_destination_not_sent_to_for_the_idle_timeout_is_unsubscribed_and_the_next_request_subscribes_again()
    {
        await using var mesh = await OneService.StartAsync();
        var (destination, proxy, time, resolver) = (mesh.Destination, mesh.Proxy, mesh.Time, mesh.Resolver);
        Assert.Equal(HttpStatusCode.OK, (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).StatusCode);
        Assert.Equal((1, 1), (resolver.SubscriptionCount, destination.Host.Streams.Open("authority ml")));

        time.Advance(ProxyEnvironment.DefaultDestinationIdleTimeout);

        await TestTimeouts.Eventually(() => Task.FromResult(resolver.SubscriptionCount == 0 && destination.Host.Streams.Open("authority ml") == 0),
            "the idle subscription to be dropped and its stream closed");
        var response = await OutboundDiscoveryTests.SendAsync(proxy, "ml");
        Assert.Equal("a", await response.Content.ReadAsStringAsync(TestTimeouts.Token));
        Assert.Equal(1, resolver.SubscriptionCount);
        Assert.Equal(1, destination.Host.Streams.Open("authority ml"));
        var metrics = await proxy.ScrapeAsync();
        Assert.Equal(2, metrics.Sum(MetricNames.ControlRequestTotal, (LabelNames.Addr, destination.Address)));
        Assert.Equal(1, metrics.Sum(MetricNames.ControlResponseTotal, (LabelNames.Addr, destination.Address), (LabelNames.Classification, "success"),
            (LabelNames.GrpcStatus, "1")));
        Assert.Equal(1, metrics.Sum(MetricNames.ControlDestinationSubscriptions, (LabelNames.Addr, destination.Address)));
    }

    [Fact]
    public async Task A_destination_in_use_is_kept_past_the_idle_timeout()
    {
        await using var mesh = await OneService.StartAsync();
        var (destination, proxy, time, resolver) = (mesh.Destination, mesh.Proxy, mesh.Time, mesh.Resolver);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).StatusCode);
            time.Advance(ProxyEnvironment.DefaultDestinationIdleTimeout / 2);
        }

        Assert.Equal(1, resolver.SubscriptionCount);
        Assert.Equal(1, (await proxy.ScrapeAsync()).Sum(MetricNames.ControlRequestTotal, (LabelNames.Addr, destination.Address)));
    }

    [Fact]
    public async Task With_the_service_down_the_proxy_stays_ready_saying_so_reports_it_in_metrics_and_logs_the_outage_once()
    {
        await using var pod = await Upstream.StartAsync(c => c.Response.WriteAsync("a"));
        var store = new KubeStore();
        OutboundDiscoveryTests.AddService(store, "ml", (OutboundDiscoveryTests.Pod("ml-7f9c6d5b8-aaaaa"), pod.Port));
        OutboundDiscoveryTests.AddService(store, "db", (OutboundDiscoveryTests.Pod("db-7f9c6d5b8-ddddd"), pod.Port));
        await using var destination = await StartDestinationAsync(store);
        using var logs = new LogCapture();
        await using var proxy = await StartProxyAsync(destination, logs: logs);
        Assert.Equal(HttpStatusCode.OK, (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OutboundDiscoveryTests.SendAsync(proxy, "db")).StatusCode);
        Assert.Equal("ready\n", await ReadyAsync(proxy));
        Assert.Equal((2, 1), await GaugesAsync(proxy, destination));

        await destination.StopAsync();

        await TestTimeouts.Eventually(async () => (await ReadyAsync(proxy)).Contains("unreachable", StringComparison.Ordinal), "/ready to tell the outage");
        var ready = await proxy.Admin.GetAsync("/ready", TestTimeouts.Token).Within();
        var body = await ready.Content.ReadAsStringAsync(TestTimeouts.Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"/ready while the destination service is down: {body}");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Matches($@"^ready; destination service {destination.Address.Replace(".", @"\.", StringComparison.Ordinal)} unreachable since \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\w+: .*\); serving 2 destinations from their last known endpoints\n$", body);
        Assert.Equal((2, 0), await GaugesAsync(proxy, destination));
        Assert.True((await proxy.ScrapeAsync()).Sum(MetricNames.ControlResponseTotal, (LabelNames.Addr, destination.Address), (LabelNames.Classification, "failure")) >= 1);
        Assert.Equal("a", await (await OutboundDiscoveryTests.SendAsync(proxy, "ml")).Content.ReadAsStringAsync(TestTimeouts.Token));

        await destination.RestartAsync();

        await TestTimeouts.Eventually(async () => await ReadyAsync(proxy) == "ready\n", "/ready to clear the outage after the restart");
        Assert.Equal((2, 1), await GaugesAsync(proxy, destination));
        await logs.WaitForAsync(LogLevel.Information, "Destination service", "reachable again");
        var outage = logs.Entries.Where(e => e.Level >= LogLevel.Warning && e.Message.Contains("unreachable", StringComparison.Ordinal)).ToList();
        Assert.Single(outage);
        Assert.Contains("serving 2 destinations from their last known endpoints", outage[0].Message, StringComparison.Ordinal);
    }

    private static async Task<string> ReadyAsync(TestProxy proxy) => await proxy.Admin.GetStringAsync("/ready", TestTimeouts.Token).Within();

    private static async Task<(double Subscriptions, double Reachable)> GaugesAsync(TestProxy proxy, TestDestination destination)
    {
        var metrics = await proxy.ScrapeAsync();
        return (metrics.Sum(MetricNames.ControlDestinationSubscriptions, (LabelNames.Addr, destination.Address)),
            metrics.Sum(MetricNames.ControlDestinationReachable, (LabelNames.Addr, destination.Address)));
    }

    /// <summary>A proxy on a fake clock asking a real destination service, which knows the Service ml with one pod answering "a".</summary>
    private sealed class OneService : IAsyncDisposable
    {
        private Upstream _pod = null!;

        public TestDestination Destination { get; private set; } = null!;
        public TestProxy Proxy { get; private set; } = null!;
        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
        public DestinationServiceResolver Resolver => Assert.IsType<DestinationServiceResolver>(Proxy.Instance.Resolver);

        public static async Task<OneService> StartAsync()
        {
            var mesh = new OneService();
            try
            {
                mesh._pod = await Upstream.StartAsync(c => c.Response.WriteAsync("a"));
                var store = new KubeStore();
                OutboundDiscoveryTests.AddService(store, "ml", (OutboundDiscoveryTests.Pod("ml-7f9c6d5b8-aaaaa"), mesh._pod.Port));
                mesh.Destination = await StartDestinationAsync(store);
                mesh.Proxy = await StartProxyAsync(mesh.Destination, mesh.Time);
                return mesh;
            }
            catch
            {
                await mesh.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Proxy is not null)
            {
                await Proxy.DisposeAsync();
            }

            if (Destination is not null)
            {
                await Destination.DisposeAsync();
            }

            if (_pod is not null)
            {
                await _pod.DisposeAsync();
            }
        }
    }
}
