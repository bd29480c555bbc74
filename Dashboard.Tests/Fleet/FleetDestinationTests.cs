using System.Net;
using System.Net.Sockets;
using Dashboard.Contracts.Metrics;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Fleet;
using L = Dashboard.Contracts.Metrics.LabelNames;

namespace Dashboard.Tests.Fleet;

/// <summary>The fleet's destination service: every meshed proxy resolves through it, as in a cluster, holding only what it calls.</summary>
public sealed class FleetDestinationTests
{
    [Fact]
    public async Task Meshed_proxies_subscribe_to_the_services_they_call_and_label_them_as_before()
    {
        await using var fleet = await TestFleet.StartAsync(new FleetOptions
        {
            Manifest = FleetFixture.Manifest,
            ApiListen = new IPEndPoint(IPAddress.Loopback, TestPorts.Free()),
            IpSecondOctet = 27,
        });
        var streams = fleet.Destination.Streams;
        var meshed = fleet.Topology.Pods.Where(p => p.Proxy is not null).ToList();
        int Subscriptions(string deployment) => meshed.Where(p => p.Deployment?.Name == deployment)
            .Sum(p => Assert.IsType<DestinationServiceResolver>(p.Proxy!.Resolver).SubscriptionCount);

        // The manifest's calls: test-1's traffic and route call ml; test-2's route calls test-1; ml calls nothing.
        await TestTimeouts.Eventually(() => Task.FromResult(streams.Open("authority ml.default") == 1 && streams.Open("authority test-1.default") == 1),
            "one stream for ml (from test-1's proxy) and one for test-1 (from test-2's)", TestTimeouts.Slow);
        Assert.Equal(1, Subscriptions("test-1"));
        Assert.Equal(1, Subscriptions("test-2"));
        Assert.Equal(0, Subscriptions("ml"));
        Assert.Equal(0, streams.Open("authority test-2.default"));

        // Each destination's series name its namespace, service, deployment and pod, as when the proxies watched the API themselves.
        var ml = fleet.Topology.ServicePods("default", "ml").Select(p => p.Name).Order().ToList();
        var caller = fleet.Topology.ServicePods("default", "test-1").Single();
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        List<Dictionary<string, string>> toMl = [];
        await TestTimeouts.Eventually(async () =>
        {
            var metrics = new MetricSet(await http.GetStringAsync($"http://{caller.Admin}/metrics", TestTimeouts.Token).Within());
            toMl = [.. metrics.Series(MetricNames.ResponseTotal, (L.Direction, "outbound"), (L.DstService, "ml")).Select(s => s.Labels)];
            return toMl.Select(l => l[L.DstPod]).Distinct().Count() == ml.Count;
        }, "test-1's outbound series to name both ml pods", TestTimeouts.Slow);
        Assert.All(toMl, labels =>
        {
            Assert.Equal("default", labels[L.DstNamespace]);
            Assert.Equal("ml", labels[L.DstDeployment]);
            Assert.Contains(labels[L.DstPod], ml);
            Assert.Equal("true", labels[L.Tls]);
        });
    }

    [Fact]
    public async Task A_destination_port_in_use_fails_the_start_naming_it()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var endPoint = (IPEndPoint)taken.LocalEndpoint;

        var error = await Assert.ThrowsAsync<FleetStartException>(() => FleetHost.StartAsync(new FleetOptions
        {
            Manifest = FleetFixture.Manifest,
            ApiListen = new IPEndPoint(IPAddress.Loopback, TestPorts.Free()),
            DestinationListen = endPoint,
            IpSecondOctet = 27,
            GenerateTraffic = false,
        }, TestTimeouts.Token)).Within();

        Assert.Equal($"cannot listen on {endPoint} for the fleet's destination service: address already in use; is another fleet (./run.sh) running?", error.Message);
    }
}
