using Dashboard.Metrics;
using Dashboard.Model;
using Microsoft.Extensions.Time.Testing;
using static Dashboard.Tests.Metrics.FakePrometheus;

namespace Dashboard.Tests.Metrics;

/// <summary>A resource's charts: two range queries folded into one point per step, gaps where there was no traffic.</summary>
public sealed class TimelineTests
{
    private const long Start = 1_700_000_000;

    private static string Matrix(params (Dictionary<string, string> Metric, string[] Values)[] series) =>
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + string.Join(",", series.Select(s =>
            System.Text.Json.JsonSerializer.Serialize(s.Metric) is var metric
                ? $"{{\"metric\":{metric},\"values\":[{string.Join(",", s.Values.Select((v, i) => $"[{Start + (i * 10)},\"{v}\"]"))}]}}"
                : "")) + "]}}";

    [Fact]
    public async Task Points_carry_success_rate_rps_and_percentiles_and_gaps_stay_gaps()
    {
        await using var prometheus = await StartAsync((context, query) => WriteAsync(context, query.Contains("_bucket", StringComparison.Ordinal)
            ? Matrix(
                (Labels("le", "10"), ["4", "0", "0"]),
                (Labels("le", "20"), ["8", "0", "0"]),
                (Labels("le", "+Inf"), ["10", "0", "0"]))
            : Matrix(
                (Labels("classification", "success"), ["9", "0"]),
                (Labels("classification", "failure"), ["1", "0"]))));
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        var service = new MetricsService(new PrometheusClient(http, prometheus.Url), new QueryCache(new FakeTimeProvider()));
        var resource = new ResourceKey(WorkloadKind.Deployment, "default", "ml");

        // A 30 s window with a 10 s scrape: 10 s steps, each rate over 40 s (four scrapes).
        var timeline = await service.GetTimelineAsync(resource, StatWindow.Parse("30s"), DateTimeOffset.FromUnixTimeSeconds(Start + 30), TimeSpan.FromSeconds(10), TestTimeouts.Token).Within();

        Assert.Contains("""sum(rate(response_total{direction="inbound", namespace="default", deployment="ml"}[40s])) by (classification)""", prometheus.Queries);
        Assert.Contains("""sum(rate(response_latency_ms_bucket{direction="inbound", namespace="default", deployment="ml"}[40s])) by (le)""", prometheus.Queries);
        Assert.Equal(TimeSpan.FromSeconds(10), timeline.Step);
        Assert.Equal(4, timeline.Points.Count); // start, +10, +20, end
        var first = timeline.Points[0];
        Assert.Equal((0.9, 10.0), (first.SuccessRate, first.Rps));
        Assert.Equal(12.5, first.P50Ms); // rank 5 in (10, 20]: 10 + 10 * 1/4
        Assert.Equal(20, first.P99Ms); // rank 9.9 in +Inf: the largest finite bound
        Assert.Equal(new TimelinePoint(DateTimeOffset.FromUnixTimeSeconds(Start + 10), null, 0, null, null, null), timeline.Points[1]);
        Assert.Equal(new TimelinePoint(DateTimeOffset.FromUnixTimeSeconds(Start + 30), null, null, null, null, null), timeline.Points[3]);
        Assert.True(timeline.HasTraffic);
    }

    [Fact]
    public void The_by_caller_lines_are_one_per_meshed_caller_then_the_unmeshed_clients()
    {
        var t0 = DateTimeOffset.FromUnixTimeSeconds(Start);
        var range = new QueryRange(t0, t0.AddSeconds(10), TimeSpan.FromSeconds(10));
        static PromSeries Bucket(string le, double?[] values, params (string, string)[] labels) => new(
            labels.Append(("le", le)).ToDictionary(l => l.Item1, l => l.Item2),
            [.. values.Select((v, i) => new PromPoint(DateTimeOffset.FromUnixTimeSeconds(Start + (i * 10)), v))]);
        (string, string)[] test1 = [("namespace", "default"), ("deployment", "test-1")];
        (string, string)[] web = [("namespace", "shop"), ("deployment", "web")];

        var lines = TimelineMerge.Callers(range, new ResourceKey(WorkloadKind.Deployment, "default", "ml"),
            [Bucket("10", [10, 0], test1), Bucket("+Inf", [10, 0], test1), Bucket("100", [0, 5], web), Bucket("300", [5, 10], web), Bucket("+Inf", [5, 10], web)],
            [Bucket("200", [1, 1]), Bucket("300", [2, 2]), Bucket("+Inf", [2, 2])]);

        Assert.Equal(["shop/web", "test-1", "unmeshed clients"], lines.Select(l => l.Name));
        Assert.Equal([298, 100 + (200 * 0.98)], lines[0].P99Ms.Select(v => Math.Round(v!.Value, 6)));
        Assert.Equal([9.9, null], lines[1].P99Ms); // no requests at the second point: a gap
        Assert.Equal([298, 298], lines[2].P99Ms.Select(v => Math.Round(v!.Value, 6)));
    }

    [Fact]
    public void Without_unmeshed_requests_there_is_no_unmeshed_line()
    {
        var t0 = DateTimeOffset.FromUnixTimeSeconds(Start);
        var lines = TimelineMerge.Callers(new QueryRange(t0, t0, TimeSpan.FromSeconds(10)), new ResourceKey(WorkloadKind.Deployment, "default", "ml"), [],
            [new PromSeries(new Dictionary<string, string> { ["le"] = "+Inf" }, [new PromPoint(t0, 0)])]);

        Assert.Empty(lines);
    }
}
