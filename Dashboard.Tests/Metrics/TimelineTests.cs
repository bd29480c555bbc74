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
}
