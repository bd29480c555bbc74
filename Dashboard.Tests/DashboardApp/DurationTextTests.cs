using Dashboard.Configuration;

namespace Dashboard.Tests.DashboardApp;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData(" 5s ", 5_000)]
    [InlineData("00:00:10", 10_000)]
    [InlineData("00:00:00.250", 250)]
    [InlineData("0s", 0)]
    public void Parses_prometheus_and_dotnet_spellings(string text, long milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("1.5s")]
    [InlineData("-1s")]
    [InlineData("10 s")]
    [InlineData("10sec")]
    [InlineData("99999999999999999999d")]
    [InlineData("1:xx")]
    public void Refuses_anything_else(string? text) => Assert.False(DurationText.TryParse(text, out _));

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(500, "500ms")]
    [InlineData(0, "0s")]
    [InlineData(93_784_005, "1d2h3m4s5ms")]
    public void Formats_the_shortest_prometheus_spelling(long milliseconds, string expected) =>
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
