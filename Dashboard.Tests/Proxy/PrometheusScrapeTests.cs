using Dashboard.Proxy.Hosting;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Proxy;

/// <summary>A real Prometheus scrapes the proxy; the dashboard's query shapes return what the traffic was.</summary>
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task Histogram_quantile_over_the_proxy_latency_falls_in_the_bucket_of_the_known_latency()
    {
        await using var app = await Upstream.StartAsync(async context =>
        {
            // The app takes 1.2 s: every observation falls in Linkerd's (1000, 2000] ms bucket, with room to
            // spare for a loaded machine.
            await Task.Delay(1200, context.RequestAborted);
            await context.Response.WriteAsync("ok");
        });
        await using var proxy = await TestProxy.StartAsync(app.Address);
        await using var prometheus = await PrometheusServer.StartAsync($"""
              - job_name: proxy
                static_configs:
                  - targets: ['{proxy.Host.BoundEndPoint(proxy.Instance, ListenerKind.Admin)}']
                    labels: {"{"}namespace: default, deployment: web, pod: web-1{"}"}
            """);

        // Two batches, each seen by a scrape, so the counters rise inside the query window.
        foreach (var (batch, total) in new[] { (4, 4), (16, 20) })
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, batch).Select(_ => proxy.Inbound.GetAsync("/", TestTimeouts.Token))).Within();
            Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));

            await TestTimeouts.Eventually(async () => await prometheus.ValueAsync(
                """sum(response_total{direction="inbound", deployment="web"})""") == total, $"prometheus to scrape {total} responses", TestTimeouts.Slow);
        }

        var p50 = await prometheus.ValueAsync(
            """histogram_quantile(0.5, sum(rate(response_latency_ms_bucket{direction="inbound", deployment="web"}[1m])) by (le, namespace, deployment))""");
        var p99 = await prometheus.ValueAsync(
            """histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{direction="inbound", deployment="web"}[1m])) by (le, namespace, deployment))""");
        var success = await prometheus.QueryAsync(
            """sum(increase(response_total{direction="inbound", deployment="web"}[1m])) by (namespace, deployment, classification, tls)""");

        Assert.NotNull(p50);
        Assert.InRange(p50.Value, 1000.0001, 2000);
        Assert.InRange(p99!.Value, 1000.0001, 2000);
        var row = Assert.Single(success.EnumerateArray());
        Assert.Equal("success", row.GetProperty("metric").GetProperty("classification").GetString());
        Assert.Equal("disabled", row.GetProperty("metric").GetProperty("tls").GetString());
    }
}
