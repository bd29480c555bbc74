using Dashboard.Investigation;
using Dashboard.Metrics;
using static Dashboard.Tests.Investigation.Traffic;

namespace Dashboard.Tests.Investigation;

/// <summary>A group's traffic per step, measured per point or over many points at once.</summary>
public sealed class StepTrafficTests
{
    [Fact]
    public void Over_several_points_the_requests_of_every_point_count_together()
    {
        var traffic = Traffic.Of([At(0), At(1)], t => t == At(0) ? FlatMs : SpikeMs, failureRate: t => t == At(0) ? 0 : 0.5);

        // 200 requests, 100 of them above 100 ms: the 99th lies in (100, 500].
        Assert.Equal((100 + (400 * 0.98), 200.0), traffic.Measure(SpikeMetric.P99, [At(0), At(1)]), new Tolerance());
        Assert.Equal((0.25, 200.0), traffic.Measure(SpikeMetric.FailureRate, [At(0), At(1)]));
    }

    [Fact]
    public void Without_requests_a_point_has_no_value()
    {
        var traffic = Traffic.Of([At(0)], _ => FlatMs);

        Assert.Equal([new MetricPoint(At(0), 0, 100), new MetricPoint(At(1), null, 0)], traffic.Points(SpikeMetric.FailureRate, [At(0), At(1)]));
        Assert.Equal((null, 0), traffic.Measure(SpikeMetric.P95, [At(1)]));
    }

    [Fact]
    public void Range_answers_are_grouped_and_scaled_from_rates_to_requests_and_unusable_series_are_left_out()
    {
        PromSeries Series(double value, params string[] labels) => new(
            Enumerable.Range(0, labels.Length / 2).ToDictionary(i => labels[2 * i], i => labels[(2 * i) + 1]), [new PromPoint(At(0), value)]);
        PromSeries[] buckets = [Series(2, "pod", "a", "le", "10"), Series(2, "pod", "a", "le", "+Inf"), Series(9, "pod", "a"), Series(9, "le", "10")];
        PromSeries[] responses = [Series(1.5, "pod", "a", "classification", "success"), Series(0.5, "pod", "a", "classification", "failure"),
            Series(9, "pod", "a", "classification", "unknown")];

        var groups = StepTraffic.Group(buckets, responses, l => l.GetValueOrDefault("pod"), bucketScale: 40, responseScale: 40);

        var a = Assert.Single(groups).Value;
        Assert.Equal((9.9, 80.0), a.Measure(SpikeMetric.P99, [At(0)]), new Tolerance());
        Assert.Equal((0.25, 80.0), a.Measure(SpikeMetric.FailureRate, [At(0)]));
    }

    [Fact]
    public void The_failure_rate_is_no_quantile()
    {
        Assert.Equal(0.95, StepTraffic.Quantile(SpikeMetric.P95));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepTraffic.Quantile(SpikeMetric.FailureRate));
    }

    private sealed class Tolerance : IEqualityComparer<(double? Value, double Requests)>
    {
        public bool Equals((double? Value, double Requests) x, (double? Value, double Requests) y) =>
            x.Value is { } a && y.Value is { } b && Math.Abs(a - b) < 1e-9 && x.Requests == y.Requests;

        public int GetHashCode((double? Value, double Requests) obj) => 0;
    }
}
