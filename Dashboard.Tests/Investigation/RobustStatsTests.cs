using Dashboard.Investigation;

namespace Dashboard.Tests.Investigation;

/// <summary>The median, the MAD baseline and when a value counts as high against it.</summary>
public sealed class RobustStatsTests
{
    [Fact]
    public void The_median_of_an_odd_count_is_the_middle_value()
    {
        Assert.Equal(7, RobustStats.Median([9, 1, 7, null, 8, 2]));
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_two_middle_values()
    {
        Assert.Equal(2.5, RobustStats.Median([4, 1, 3, 2]));
    }

    [Fact]
    public void Without_a_finite_value_there_is_no_median_and_no_baseline()
    {
        Assert.Null(RobustStats.Median([]));
        Assert.Null(RobustStats.Median([null, double.NaN, double.PositiveInfinity]));
        Assert.Null(RobustStats.Baseline([null, double.NaN]));
    }

    [Fact]
    public void The_baseline_is_the_median_and_the_scaled_median_absolute_deviation_which_one_spike_does_not_move()
    {
        // Deviations from 3 are 2, 1, 0, 1, 97: their median is 1, however far the spike goes.
        var baseline = RobustStats.Baseline([1, 2, 3, 4, 100, null]);

        Assert.Equal(new RobustBaseline(3, RobustStats.MadToSigma, 5), baseline);
    }

    [Theory]
    [InlineData(109.99, false)]
    [InlineData(110, true)]
    public void A_value_is_high_only_from_the_given_number_of_robust_deviations_above_the_median(double value, bool high)
    {
        var baseline = new RobustBaseline(100, 2, 10);

        Assert.Equal(high, baseline.IsHigh(value, new DeviationThresholds(Sigmas: 5, Factor: 1, Absolute: 0)));
    }

    [Theory]
    [InlineData(149.99, false)]
    [InlineData(150, true)]
    public void A_value_is_high_only_from_the_given_factor_of_the_median(double value, bool high)
    {
        var baseline = new RobustBaseline(100, 0, 10);

        Assert.Equal(high, baseline.IsHigh(value, new DeviationThresholds(Sigmas: 0, Factor: 1.5, Absolute: 0)));
    }

    [Theory]
    [InlineData(109.99, false)]
    [InlineData(110, true)]
    public void A_value_is_high_only_from_the_given_amount_above_the_median(double value, bool high)
    {
        var baseline = new RobustBaseline(100, 0, 10);

        Assert.Equal(high, baseline.IsHigh(value, new DeviationThresholds(Sigmas: 0, Factor: 1, Absolute: 10)));
    }

    [Theory]
    [InlineData(130, false)] // 15 sigmas, 1.3 times: not the factor
    [InlineData(160, true)]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void A_value_must_pass_all_three_thresholds_at_once(double value, bool high)
    {
        var baseline = new RobustBaseline(100, 2, 10);

        Assert.Equal(high, baseline.IsHigh(value, new DeviationThresholds(5, 1.5, 10)));
    }

    [Fact]
    public void A_flat_series_whose_mad_is_zero_does_not_make_every_small_wobble_high()
    {
        var baseline = Assert.NotNull(RobustStats.Baseline([8, 8, 8, 8, 9, 8, 8, 7, 8]));
        var thresholds = InvestigationThresholds.Default.Latency;

        Assert.Equal(new RobustBaseline(8, 0, 9), baseline);
        Assert.False(baseline.IsHigh(9, thresholds));
        Assert.False(baseline.IsHigh(17.9, thresholds)); // twice the median, yet under 10 ms above it
        Assert.True(baseline.IsHigh(18, thresholds));
    }
}
