using System.Net;
using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Destination;
using Dashboard.Tests.Kubernetes;
using k8s;

namespace Dashboard.Tests.Destination;

/// <summary>The destination service's admin listener: what the kubelet's probes and Prometheus read.</summary>
public sealed class DestinationAdminTests
{
    [Fact]
    public async Task Ready_answers_503_with_the_reason_until_the_first_list_has_synced_and_live_answers_meanwhile()
    {
        // An API nobody listens on: the first list never arrives.
        using var unreachable = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{TestPorts.Free()}" });
        await using var host = await DestinationServiceHost.StartAsync(new DestinationOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Admin = new IPEndPoint(IPAddress.Loopback, 0),
        }, unreachable, cancellationToken: TestTimeouts.Token).Within();
        using var admin = new HttpClient { BaseAddress = new Uri($"http://{host.AdminEndPoint}") };

        using var ready = await admin.GetAsync("/ready", TestTimeouts.Token).Within();
        using var live = await admin.GetAsync("/live", TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("not ready: the first list of Services, EndpointSlices and Pods from the Kubernetes API has not arrived yet\n",
            await ready.Content.ReadAsStringAsync(TestTimeouts.Token));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Once_synced_ready_answers_200_and_metrics_count_streams_updates_watch_events_and_the_process()
    {
        var store = KubeSeed.Create();
        await using var destination = await TestDestination.StartAsync(store);
        await TestTimeouts.Eventually(async () => (await destination.Admin.GetAsync("/ready", TestTimeouts.Token)).IsSuccessStatusCode, "/ready to answer 200");
        using var stream = destination.GetAuthority("web.default.svc.cluster.local:80");
        await stream.NextAsync();

        var pod = KubeSeed.Pod("web-7f9c6d5b8-zzzzz", "10.42.0.13");
        store.Upsert(pod);

        await TestTimeouts.Eventually(async () => Scrape(await destination.Admin.GetStringAsync("/metrics", TestTimeouts.Token))
            .Sum(DestinationMetrics.WatchEventsName) >= 1, "the pod's watch event to be counted");
        var metrics = Scrape(await destination.Admin.GetStringAsync("/metrics", TestTimeouts.Token).Within());
        Assert.Equal(1, metrics.Sum(DestinationMetrics.StreamsOpenName));
        Assert.True(metrics.Sum(DestinationMetrics.UpdatesSentName) >= 1);
        Assert.True(metrics.Sum("process_start_time_seconds") > 0);
        Assert.Equal("ready\n", await destination.Admin.GetStringAsync("/ready", TestTimeouts.Token).Within());
        using var other = await destination.Admin.GetAsync("/debug", TestTimeouts.Token).Within();
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public void The_admin_address_defaults_to_port_9996_and_takes_its_flag_or_variable()
    {
        var (byDefault, _) = DestinationOptionsParser.Parse([], _ => null);
        var (byFlag, _) = DestinationOptionsParser.Parse([DestinationEnvironment.AdminAddrFlag, "127.0.0.1:9000"], _ => null);
        var (byVariable, _) = DestinationOptionsParser.Parse([], n => n == DestinationEnvironment.AdminAddr ? "127.0.0.1:9001" : null);
        var (_, errors) = DestinationOptionsParser.Parse([DestinationEnvironment.AdminAddrFlag, "9996"], _ => null);

        Assert.Equal("0.0.0.0:9996", byDefault!.Admin!.ToString());
        Assert.Equal("127.0.0.1:9000", byFlag!.Admin!.ToString());
        Assert.Equal("127.0.0.1:9001", byVariable!.Admin!.ToString());
        Assert.StartsWith("--admin-addr: '9996' is not an address", Assert.Single(errors), StringComparison.Ordinal);
    }

    private static MetricSet Scrape(string text) => new(text);
}
