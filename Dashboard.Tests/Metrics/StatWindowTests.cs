using Dashboard.Model;

namespace Dashboard.Tests.Metrics;

public sealed class StatWindowTests
{
    [Theory]
    [InlineData("15s", 15, "15s")]
    [InlineData("30s", 30, "30s")]
    [InlineData("1m", 60, "1m")]
    [InlineData("5m", 300, "5m")]
    [InlineData("10m", 600, "10m")]
    [InlineData("1h", 3600, "1h")]
    [InlineData("90s", 90, "1m30s")]
    [InlineData("1m30s", 90, "1m30s")]
    [InlineData("60s", 60, "1m")]
    [InlineData("60000ms", 60, "1m")]
    [InlineData("120m", 7200, "2h")]
    [InlineData("1h30m", 5400, "1h30m")]
    [InlineData("24h", 86400, "1d")]
    [InlineData("1d", 86400, "1d")]
    [InlineData("2w", 1_209_600, "2w")]
    [InlineData("30d", 2_592_000, "30d")]
    public void Parses_and_writes_a_PromQL_duration(string text, int seconds, string written)
    {
        var window = StatWindow.Parse(text);

        Assert.Equal(seconds, window.TotalSeconds);
        Assert.Equal(TimeSpan.FromSeconds(seconds), window.Duration);
        Assert.Equal(written, window.ToString());
        Assert.Equal(window, StatWindow.Parse(written));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("m")]
    [InlineData("0s")]
    [InlineData("-1m")]
    [InlineData("+1m")]
    [InlineData("1.5m")]
    [InlineData(" 1m")]
    [InlineData("1m ")]
    [InlineData("1M")]
    [InlineData("0")]
    [InlineData("1500ms")]
    [InlineData("30s1m")]
    [InlineData("00:01:00")]
    [InlineData("30d1s")]
    [InlineData("99999999999h")]
    public void Refuses_anything_else_and_names_the_input(string text)
    {
        Assert.False(StatWindow.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => StatWindow.Parse(text));
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("15s, 1m or 1h", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_is_one_minute_and_the_choices_are_the_standard_six()
    {
        Assert.Equal(StatWindow.Parse("1m"), default(StatWindow));
        Assert.Equal(StatWindow.Parse("1m"), StatWindow.Default);
        Assert.Equal("1m", default(StatWindow).ToString());
        Assert.Equal(["15s", "30s", "1m", "5m", "10m", "1h"], StatWindow.Choices.Select(c => c.ToString()));
        Assert.Contains(StatWindow.Default, StatWindow.Choices);
    }

    [Fact]
    public void A_window_shorter_than_two_scrapes_is_refused_with_the_reason()
    {
        Assert.Equal(
            "a 15s window needs a scrape interval of at most 7.5s; Prometheus scrapes every 10s",
            StatWindow.Parse("15s").Validate(TimeSpan.FromSeconds(10)));
        Assert.Equal(
            "a 1m window needs a scrape interval of at most 30s; Prometheus scrapes every 60s",
            StatWindow.Parse("1m").Validate(TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData("15s", 7.5)]
    [InlineData("15s", 1)]
    [InlineData("30s", 10)]
    [InlineData("1m", 30)]
    public void A_window_of_at_least_two_scrapes_is_valid(string window, double scrapeSeconds)
    {
        Assert.Null(StatWindow.Parse(window).Validate(TimeSpan.FromSeconds(scrapeSeconds)));
    }
}
