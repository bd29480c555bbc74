using System.Globalization;
using System.Net;
using Dashboard.Contracts.Identity;
using Dashboard.Proxy.Fleet;
using Dashboard.Proxy.Fleet.Manifest;
using k8s;

namespace Dashboard.Tests.Fleet;

/// <summary>The scale option: pods without processes that the API lists and Prometheus scrapes like real ones.</summary>
public sealed class FleetScaleTests
{
    [Fact]
    public async Task Synthetic_pods_are_listed_discovered_and_serve_advancing_metrics()
    {
        var manifest = new FleetManifest([new NamespaceSpec("default", [new DeploymentSpec("web", 1, true, [])], [])], []);
        var (fleet, prometheus) = await StartAsync(manifest, new SyntheticWorkloads(12, 50), 23);
        await using var _ = fleet;
        await using var __ = prometheus;
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = fleet.ApiUrl.ToString() });

        var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: TestTimeouts.Token).Within();
        var pods = await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "linkerd.io/control-plane-ns", cancellationToken: TestTimeouts.Token).Within();
        var deployments = await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: TestTimeouts.Token).Within();

        Assert.Equal(["default", "scale-00", "scale-01"], namespaces.Items.Select(n => n.Metadata.Name).Order());
        Assert.Equal(51, pods.Items.Count);
        Assert.Equal(13, deployments.Items.Count);
        Assert.All(pods.Items, p => Assert.Equal("True", p.Status.Conditions.Single(c => c.Type == "Ready").Status));

        // Every synthetic pod is a target of its own, with the labels of a real one.
        await TestTimeouts.Eventually(async () => await prometheus.ValueAsync("""count(up{namespace=~"scale-.*"} == 1)""") == 50,
            "prometheus to scrape the 50 synthetic pods", TestTimeouts.Slow);
        await TestTimeouts.Eventually(async () => await prometheus.ValueAsync(
            """sum(increase(response_total{direction="inbound", namespace="scale-01"}[10s]))""") > 0,
            "synthetic counters to advance", TestTimeouts.Slow);
        var byDeployment = await prometheus.QueryAsync("""sum(response_total{namespace=~"scale-.*"}) by (deployment)""");
        Assert.Equal(12, byDeployment.GetArrayLength());
    }

    [Fact]
    public async Task Prometheus_sees_exactly_the_planted_calls_at_their_rates()
    {
        var synthetic = new SyntheticWorkloads(10, 30);
        var (fleet, prometheus) = await StartAsync(new FleetManifest([], []), synthetic, 28);
        await using var _ = fleet;
        await using var __ = prometheus;

        // rate() over a minute of one-second scrapes: the slowest planted call (~0.6 rps over 3 series of whole
        // requests) is then known to within a few percent. A series younger than the window would read low: rate()
        // extrapolates only half a scrape interval toward a window's start before the series' first sample.
        await TestTimeouts.Eventually(async () => await prometheus.ValueAsync("""min(count_over_time(up{namespace=~"scale-.*"}[75s]))""") >= 65,
            "more than a minute of scrapes of every synthetic pod", TimeSpan.FromSeconds(120));
        var edges = await prometheus.QueryAsync("""
            sum(rate(response_total{direction="outbound", namespace=~"scale-.*"}[1m])) by (namespace, deployment, dst_namespace, dst_deployment)
            """);

        var seen = edges.EnumerateArray().ToDictionary(
            e => (e.GetProperty("metric").GetProperty("namespace").GetString(), e.GetProperty("metric").GetProperty("deployment").GetString(),
                e.GetProperty("metric").GetProperty("dst_namespace").GetString(), e.GetProperty("metric").GetProperty("dst_deployment").GetString()),
            e => double.Parse(e.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));
        var planted = synthetic.Calls().ToDictionary(c => ((string?)c.CallerNamespace, (string?)c.Caller, (string?)c.CalleeNamespace, (string?)c.Callee), c => c.Rps);
        Assert.Equal(planted.Keys.Order(), seen.Keys.Order());
        Assert.All(planted, p => Assert.True(Math.Abs(seen[p.Key] - p.Value) <= 0.1 * p.Value, $"{p.Key}: planted {p.Value:0.###} rps, prometheus sees {seen[p.Key]:0.###}"));

        // The callees count the same requests, by the identity each caller proved.
        var inbound = await prometheus.QueryAsync("""
            sum(rate(response_total{direction="inbound", tls="true", namespace=~"scale-.*"}[1m])) by (namespace, deployment, client_id)
            """);
        Assert.All(synthetic.Calls(), c => Assert.Contains(inbound.EnumerateArray(), e =>
            e.GetProperty("metric").GetProperty("deployment").GetString() == c.Callee &&
            e.GetProperty("metric").GetProperty("client_id").GetString() == IdentityNames.Format(c.Caller, c.CallerNamespace, FleetIdentity.TrustDomain) &&
            Math.Abs(double.Parse(e.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) - c.Rps) <= 0.1 * c.Rps));
    }

    /// <summary>A fleet with the scale option, and a Prometheus discovering its pods through <c>/fleet/sd</c>, scraping every second.</summary>
    private static async Task<(FleetHost Fleet, PrometheusServer Prometheus)> StartAsync(FleetManifest manifest, SyntheticWorkloads synthetic, byte ipOctet)
    {
        var fleet = await TestFleet.StartAsync(new FleetOptions
        {
            Manifest = manifest,
            ApiListen = new IPEndPoint(IPAddress.Loopback, TestPorts.Free()),
            IpSecondOctet = ipOctet,
            Synthetic = synthetic,
        });
        try
        {
            return (fleet, await PrometheusServer.StartAsync($"""
                  - job_name: fleet
                    http_sd_configs:
                      - url: {fleet.ApiUrl}fleet/sd
                        refresh_interval: 1s
                """));
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }
}
