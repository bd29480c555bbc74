using Dashboard.Metrics;
using Dashboard.Model;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Metrics;

/// <summary>
/// The metrics layer against a real Prometheus scraping Linkerd-format expositions every second, with
/// namespace/deployment/pod labels added by the scrape configuration as in the real setup.
/// </summary>
public sealed class PrometheusIntegrationTests
{
    [Fact]
    public async Task Stats_from_a_real_Prometheus_give_the_success_rate_and_the_latency_bucket()
    {
        // web: 100 + 100 responses before, then 90 more successes and 10 more failures, all taking 15ms.
        // The counters start above zero so Prometheus extrapolates both series alike, keeping 90% exact.
        var web = new LinkerdExposition();
        var cart = new LinkerdExposition();
        var idle = new LinkerdExposition();
        web.Set(successes: 100, failures: 100, latencyMs: 15);
        cart.Set(successes: 10, failures: 0, latencyMs: 3);
        idle.Set(successes: 50, failures: 0, latencyMs: 3);
        var expositions = new Dictionary<string, LinkerdExposition> { ["/web"] = web, ["/cart"] = cart, ["/idle"] = idle };
        await using var targets = await Upstream.StartAsync(context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4";
            return expositions.TryGetValue(context.Request.Path, out var exposition)
                ? context.Response.WriteAsync(exposition.Text, context.RequestAborted)
                : Task.CompletedTask;
        });
        await using var prometheus = await PrometheusServer.StartAsync($"""
              - job_name: web
                metrics_path: /web
                static_configs:
                  - targets: ['{targets.Address}']
                    labels: {"{"}namespace: default, deployment: web, pod: web-1{"}"}
              - job_name: cart
                metrics_path: /cart
                static_configs:
                  - targets: ['{targets.Address}']
                    labels: {"{"}namespace: shop, deployment: cart, pod: cart-1{"}"}
              - job_name: idle
                metrics_path: /idle
                static_configs:
                  - targets: ['{targets.Address}']
                    labels: {"{"}namespace: default, deployment: idle, pod: idle-1{"}"}
            """);

        // Two scrapes of every target before the traffic, so the window holds samples on both sides of it.
        await TestTimeouts.Eventually(async () =>
            await prometheus.ValueAsync("count(count_over_time(response_total[1m]) >= 2)") == 6,
            "two scrapes of every target", TestTimeouts.Slow);
        web.Set(successes: 190, failures: 110, latencyMs: 15);
        cart.Set(successes: 20, failures: 0, latencyMs: 3);
        await TestTimeouts.Eventually(async () =>
            await prometheus.ValueAsync("""sum(response_total{deployment="web"})""") == 300
            && await prometheus.ValueAsync("""sum(response_total{deployment="cart"})""") == 20,
            "a scrape of the new counts", TestTimeouts.Slow);

        using var http = new HttpClient();
        var client = new PrometheusClient(http, prometheus.Url);
        var service = new MetricsService(client, new QueryCache(TimeProvider.System, TimeSpan.Zero));

        var deployments = await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();

        var row = Assert.Single(deployments); // idle's counters did not move: no row
        Assert.Equal(new ResourceKey(WorkloadKind.Deployment, "default", "web"), row.Key);
        var stats = row.Value;
        Assert.InRange(stats.SuccessRate!.Value, 0.8999, 0.9001);
        Assert.InRange(stats.TlsShare!.Value, 0.8999, 0.9001);
        Assert.InRange(stats.Total, 100, 400); // extrapolated to the window's edges: more than counted, never less
        Assert.True(stats.Rps > 0);
        Assert.InRange(stats.P50Ms!.Value, 10.0001, 20); // every observation is in Linkerd's (10, 20] bucket
        Assert.InRange(stats.P99Ms!.Value, 10.0001, 20);
        Assert.Equal(MetricsService.QueriesPerTable, client.QueriesSent);

        var namespaces = await service.GetStatsAsync(WorkloadKind.Namespace, null, StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Equal(["default", "shop"], namespaces.Keys.Select(k => k.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, namespaces[ResourceKey.ForNamespace("shop")].SuccessRate);
        Assert.InRange(namespaces[ResourceKey.ForNamespace("shop")].P50Ms!.Value, 2.0001, 3);
    }
}
