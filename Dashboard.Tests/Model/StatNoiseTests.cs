using Dashboard.Model;

namespace Dashboard.Tests.Model;

/// <summary>When a change between two windows counts as larger than the noise, and how a compared number reads.</summary>
public sealed class StatNoiseTests
{
    private static StatCounts Counts(double successes, double failures, double seconds = 60, double? p99 = null) =>
        new(successes, failures, 0, seconds, null, null, p99);

    [Fact]
    public void A_success_rate_change_is_beyond_the_noise_only_when_the_two_proportion_test_says_so()
    {
        // 100 % of 1,000 against 95 % of 1,000: z ≈ 7.3.
        Assert.True(StatNoise.SuccessRateChanged(Counts(1000, 0), Counts(950, 50)));
        // 99 % against 98 % of 100 requests each: z ≈ 0.6.
        Assert.False(StatNoise.SuccessRateChanged(Counts(99, 1), Counts(98, 2)));
        // All successes in both windows: nothing changed, whatever the counts.
        Assert.False(StatNoise.SuccessRateChanged(Counts(10, 0), Counts(10_000, 0)));
    }

    [Fact]
    public void An_rps_change_is_beyond_the_noise_only_when_the_poisson_counts_differ_by_three_standard_errors()
    {
        // 3 rps against 9 rps over a minute: 180 against 540 requests, z ≈ 13.
        Assert.True(StatNoise.RpsChanged(Counts(180, 0), Counts(540, 0)));
        // 180 against 200 requests: z ≈ 1.
        Assert.False(StatNoise.RpsChanged(Counts(180, 0), Counts(200, 0)));
        // A trickle: 2 against 8 requests, z ≈ 1.9.
        Assert.False(StatNoise.RpsChanged(Counts(2, 0), Counts(8, 0)));
    }

    [Theory]
    [InlineData(262, 9, true)]    // the demo's spike: +253ms, far beyond 20 % and the 100ms bucket it falls in
    [InlineData(110, 100, false)] // 10 %: below the relative threshold
    [InlineData(45, 30, true)]    // 50 % and 15ms, beyond the 10ms bucket (40, 50]
    [InlineData(250, 200, false)] // 25 % but 50ms, inside the 100ms bucket (200, 300] a percentile is interpolated in
    [InlineData(60_000, 100, false)] // beyond the largest finite bound no change is resolved
    public void A_latency_change_must_be_20_percent_and_a_bucket_wide(double now, double then, bool changed)
    {
        Assert.Equal(changed, StatNoise.LatencyChanged(now, then));
    }

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(7, 5)]
    [InlineData(262, 100)]
    [InlineData(1000, 500)]
    public void The_bucket_width_is_that_of_the_histogram_bucket_the_value_falls_in(double ms, double width)
    {
        Assert.Equal(width, StatNoise.BucketWidth(ms));
        Assert.Equal(double.PositiveInfinity, StatNoise.BucketWidth(50_001));
    }

    [Fact]
    public void A_compared_latency_reads_its_other_value_the_change_and_the_mark()
    {
        var change = StatChange.For(StatColumn.P99, Counts(500, 0, p99: 262), Counts(500, 0, p99: 9));

        Assert.Equal(new StatChange("9ms", "+253ms", Significant: true, Up: true), change);
        Assert.Equal("▲", change.Arrow);
    }

    [Fact]
    public void A_compared_number_without_traffic_in_either_window_has_no_change()
    {
        var gone = StatChange.For(StatColumn.Rps, null, Counts(180, 0));
        var fresh = StatChange.For(StatColumn.SuccessRate, Counts(99, 1), null);

        Assert.Equal(new StatChange("3.0rps", null, false, false), gone);
        Assert.Equal(new StatChange("-", null, false, false), fresh);
        Assert.Equal("", fresh.Arrow);
    }

    [Fact]
    public void A_success_rate_drop_reads_in_percentage_points()
    {
        var change = StatChange.For(StatColumn.SuccessRate, Counts(900, 100), Counts(998, 2));

        Assert.Equal(new StatChange("99.80%", "-9.80pp", Significant: true, Up: false), change);
        Assert.Equal("▼", change.Arrow);
    }
}
