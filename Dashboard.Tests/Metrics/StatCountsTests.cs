using Dashboard.Model;

namespace Dashboard.Tests.Metrics;

public sealed class StatCountsTests
{
    [Fact]
    public void Rates_are_derived_from_the_counts()
    {
        var counts = new StatCounts(Successes: 57, Failures: 3, TlsRequests: 45, WindowSeconds: 60, 5, 9, 12);

        Assert.Equal(60, counts.Total);
        Assert.Equal(0.95, counts.SuccessRate!.Value, 12);
        Assert.Equal(1.0, counts.Rps!.Value, 12);
        Assert.Equal(0.75, counts.TlsShare!.Value, 12);
    }

    [Fact]
    public void Nothing_counted_is_no_data_not_zero()
    {
        var counts = new StatCounts(0, 0, 0, 60, null, null, null);

        Assert.Equal(0, counts.Total);
        Assert.Null(counts.SuccessRate);
        Assert.Null(counts.Rps);
        Assert.Null(counts.TlsShare);
    }

    [Fact]
    public void Only_failures_is_a_zero_success_rate()
    {
        var counts = new StatCounts(0, 4, 0, 60, null, null, null);

        Assert.Equal(0, counts.SuccessRate);
        Assert.Equal(0, counts.TlsShare);
        Assert.Equal(4 / 60.0, counts.Rps!.Value, 12);
    }

    [Fact]
    public void Extrapolated_counts_keep_their_fractions()
    {
        // increase() extrapolates to the window's edges, so counts have fractions; they are data, not noise.
        var counts = new StatCounts(Successes: 2.75, Failures: 0.25, TlsRequests: 3, WindowSeconds: 15, null, null, null);

        Assert.Equal(3, counts.Total);
        Assert.Equal(2.75 / 3, counts.SuccessRate!.Value, 12);
        Assert.Equal(0.2, counts.Rps!.Value, 12);
        Assert.Equal(1, counts.TlsShare);
    }
}
