using Dashboard.Metrics;

namespace Dashboard.Tests.Metrics;

/// <summary>Prometheus' <c>histogram_quantile</c> semantics, case by case (promql/quantile.go).</summary>
public sealed class HistogramQuantileTests
{
    private static readonly (double, double)[] Linkerd = [(10, 40), (20, 80), (50, 98), (double.PositiveInfinity, 100)];

    [Theory]
    [InlineData(0.5, 12.5)] // rank 50 in (10, 20]: 10 + 10 * 10/40
    [InlineData(0.95, 45)] // rank 95 in (20, 50]: 20 + 30 * 15/18
    [InlineData(0.99, 50)] // rank 99 in (50, +Inf]: the largest finite bound
    [InlineData(0.2, 5)] // rank 20 in the first bucket: interpolated from 0
    [InlineData(0, 0)]
    public void Interpolates_within_the_bucket_holding_the_rank(double quantile, double expected) =>
        Assert.Equal(expected, HistogramQuantile.Compute(quantile, Linkerd), 12);

    [Fact]
    public void Buckets_arrive_in_any_order() =>
        Assert.Equal(12.5, HistogramQuantile.Compute(0.5, Linkerd.Reverse()), 12);

    [Fact]
    public void No_observations_is_NaN() =>
        Assert.True(double.IsNaN(HistogramQuantile.Compute(0.5, [(10, 0), (double.PositiveInfinity, 0)])));

    [Fact]
    public void Without_an_Inf_bucket_or_with_one_bucket_it_is_NaN()
    {
        Assert.True(double.IsNaN(HistogramQuantile.Compute(0.5, [(10, 1), (20, 2)])));
        Assert.True(double.IsNaN(HistogramQuantile.Compute(0.5, [(double.PositiveInfinity, 2)])));
    }

    [Fact]
    public void Quantiles_outside_zero_to_one_are_infinite() =>
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity), (HistogramQuantile.Compute(-0.1, Linkerd), HistogramQuantile.Compute(1.1, Linkerd)));

    [Fact]
    public void A_bucket_reading_less_than_the_one_below_is_lifted_to_it()
    {
        // Rates of counters scraped at different instants: 20 reads 38 < 40. Prometheus treats it as 40.
        (double, double)[] jittery = [(10, 40), (20, 38), (50, 100), (double.PositiveInfinity, 100)];
        Assert.Equal(20 + (30 * 10 / 60.0), HistogramQuantile.Compute(0.5, jittery), 12);
    }

    [Fact]
    public void Equal_bounds_are_merged() =>
        Assert.Equal(12.5, HistogramQuantile.Compute(0.5, [(10, 20), (10, 20), (20, 80), (double.PositiveInfinity, 100)]), 12);
}
