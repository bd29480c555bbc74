using System.Net;
using Dashboard.Contracts.Metrics;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Proxy;

/// <summary>Counts, classification and latency histograms against a real upstream on loopback.</summary>
public sealed class ProxyMetricsTests
{
    private static Task StatusApp(HttpContext context)
    {
        var code = int.Parse(context.Request.Path.Value!.Trim('/'), System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = code;
        return context.Response.WriteAsync("x");
    }

    [Fact]
    public async Task Counts_requests_and_responses_by_status_and_classification()
    {
        await using var app = await Upstream.StartAsync(StatusApp);
        await using var proxy = await TestProxy.StartAsync(app.Address);
        var plan = new Dictionary<int, int> { [200] = 7, [404] = 3, [500] = 2, [503] = 4 };

        foreach (var (status, count) in plan)
        {
            for (var i = 0; i < count; i++)
            {
                using var response = await proxy.Inbound.GetAsync($"/{status}", TestTimeouts.Token).Within();
                Assert.Equal(status, (int)response.StatusCode);
            }
        }

        var metrics = await proxy.ScrapeSettledAsync();
        var inbound = (LabelNames.Direction, "inbound");
        Assert.Equal(16, metrics.Sum(MetricNames.RequestTotal, inbound));
        foreach (var (status, count) in plan)
        {
            var code = (LabelNames.StatusCode, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var classification = status >= 500 ? "failure" : "success";
            Assert.Equal(count, metrics.Sum(MetricNames.ResponseTotal, inbound, code, (LabelNames.Classification, classification)));
            Assert.Equal(count, metrics.Sum(MetricNames.ResponseLatencyMs + "_count", inbound, code));
        }

        var series = Assert.Single(metrics.Series(MetricNames.RequestTotal, inbound));
        Assert.Equal(app.Address, series.Labels[LabelNames.TargetAddr]);
        Assert.Equal(proxy.BaseUri(Dashboard.Proxy.Hosting.ListenerKind.Inbound).Authority, series.Labels[LabelNames.Authority]);
        Assert.Equal("disabled", series.Labels[LabelNames.Tls]);
        Assert.DoesNotContain(metrics.Series(MetricNames.RequestTotal), s => s.Labels.ContainsKey("namespace") || s.Labels.ContainsKey("pod"));
    }

    [Fact]
    public async Task Latency_lands_in_the_bucket_of_the_upstream_delay_and_sums_add_up()
    {
        await using var app = await Upstream.StartAsync(async context =>
        {
            await Task.Delay(25, context.RequestAborted);
            await context.Response.WriteAsync("slow");
        });
        await using var proxy = await TestProxy.StartAsync(app.Address);

        for (var i = 0; i < 5; i++)
        {
            (await proxy.Inbound.GetAsync("/", TestTimeouts.Token).Within()).Dispose();
        }

        var metrics = await proxy.ScrapeSettledAsync();
        var bucket = (string le) => metrics.Sum(MetricNames.ResponseLatencyMs + "_bucket", (LabelNames.Direction, "inbound"), ("le", le));
        Assert.Equal(0, bucket("20"));
        Assert.Equal(5, bucket("+Inf"));
        Assert.Equal(26, metrics.Series(MetricNames.ResponseLatencyMs + "_bucket", (LabelNames.Direction, "inbound")).Count());
        var sum = metrics.Sum(MetricNames.ResponseLatencyMs + "_sum", (LabelNames.Direction, "inbound"));
        Assert.InRange(sum, 5 * 25, 5 * 1000);
        Assert.True(bucket("1000") == 5, "5 requests of 25 ms fall under 1 s");
    }

    [Fact]
    public async Task Refused_upstream_is_a_502_failure_with_error_set()
    {
        var closedPort = TestPorts.Free();
        await using var proxy = await TestProxy.StartAsync($"127.0.0.1:{closedPort}");

        using var response = await proxy.Inbound.GetAsync("/", TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (LabelNames.StatusCode, "502"),
            (LabelNames.Classification, "failure"), (LabelNames.Error, "connection_refused")));
    }

    [Fact]
    public async Task Silent_upstream_times_out_as_a_504_failure()
    {
        using var release = new CancellationTokenSource();
        await using var app = await Upstream.StartAsync(async context =>
        {
            await Task.Delay(Timeout.Infinite, release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var proxy = await TestProxy.StartAsync(app.Address,
            new Dictionary<string, string> { ["MESH_PROXY_UPSTREAM_TIMEOUT"] = "300ms" });

        using var response = await proxy.Inbound.GetAsync("/", TestTimeouts.Token).Within();
        await release.CancelAsync();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (LabelNames.StatusCode, "504"),
            (LabelNames.Classification, "failure"), (LabelNames.Error, "timeout")));
    }

    [Fact]
    public async Task Exports_process_build_and_tcp_families()
    {
        await using var app = await Upstream.StartAsync(StatusApp);
        await using var proxy = await TestProxy.StartAsync(app.Address);
        (await proxy.Inbound.GetAsync("/200", TestTimeouts.Token).Within()).Dispose();

        var metrics = await proxy.ScrapeSettledAsync();

        Assert.InRange(metrics.Sum(MetricNames.ProcessStartTimeSeconds), DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(1, metrics.Sum(MetricNames.ProxyBuildInfo));
        var src = new[] { (LabelNames.Direction, "inbound"), (LabelNames.Peer, "src") };
        Assert.Equal(1, metrics.Sum(MetricNames.TcpOpenTotal, src));
        Assert.Equal(1, metrics.Sum(MetricNames.TcpOpenConnections, src));
        Assert.True(metrics.Sum(MetricNames.TcpReadBytesTotal, src) > 20, "the request's bytes were counted");
        Assert.True(metrics.Sum(MetricNames.TcpWriteBytesTotal, src) > 20, "the response's bytes were counted");
        Assert.Equal(1, metrics.Sum(MetricNames.TcpOpenTotal, (LabelNames.Direction, "inbound"), (LabelNames.Peer, "dst")));
    }
}
