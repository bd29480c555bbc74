using System.Globalization;
using Dashboard.Services;

namespace Dashboard.Tests.DashboardApp;

/// <summary>
/// Viewers opened at different moments refresh at the same instants, the clock's multiples of the interval, so the
/// shared query cache serves them all with one round of queries (the loop's own ticking is shown by the panel tests).
/// </summary>
public sealed class RefreshLoopTests
{
    private static DateTimeOffset At(string time) => DateTimeOffset.Parse($"2026-11-25T{time}Z", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("12:00:00.300", 2, 1700)]
    [InlineData("12:00:01.200", 2, 800)]
    [InlineData("12:00:01.999", 2, 1)]
    [InlineData("12:00:02.000", 2, 2000)]
    [InlineData("12:00:07.000", 5, 3000)]
    public void The_first_tick_waits_for_the_next_multiple_of_the_interval(string now, int intervalSeconds, int expectedMs)
    {
        var wait = RefreshLoop.UntilNextTick(At(now), TimeSpan.FromSeconds(intervalSeconds));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), wait);
        Assert.Equal(0, (At(now) + wait).ToUnixTimeMilliseconds() % (intervalSeconds * 1000));
    }

    [Fact]
    public void Two_viewers_opened_apart_tick_at_the_same_instant()
    {
        var interval = TimeSpan.FromSeconds(2);
        var first = At("12:00:00.300");
        var second = At("12:00:01.200");

        Assert.Equal(first + RefreshLoop.UntilNextTick(first, interval), second + RefreshLoop.UntilNextTick(second, interval));
    }

    [Fact]
    public void A_non_positive_interval_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RefreshLoop.UntilNextTick(At("12:00:00"), TimeSpan.Zero));
        Assert.Equal("interval", error.ParamName);
    }
}
