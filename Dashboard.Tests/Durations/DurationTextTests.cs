using Dashboard.Contracts.Durations;

namespace Dashboard.Tests.Durations;

/// <summary>The one duration grammar: Prometheus' <c>model.ParseDuration</c>, and <c>hh:mm:ss</c> where configuration is read.</summary>
public sealed class DurationTextTests
{
    private const long Day = 86_400_000;

    [Theory]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("90s", 90_000)]
    [InlineData("1s500ms", 1_500)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", Day)]
    [InlineData("1w", 7 * Day)]
    [InlineData("1y", 365 * Day)]
    [InlineData("1y2w3d4h5m6s7ms", (365 + 14 + 3) * Day + 4 * 3_600_000 + 5 * 60_000 + 6_000 + 7)]
    [InlineData("007s", 7_000)]
    public void Prometheus_spellings_are_durations_everywhere(string text, long milliseconds)
    {
        foreach (var syntax in Enum.GetValues<DurationSyntax>())
        {
            var parsed = DurationText.Parse(text, syntax);
            Assert.Null(parsed.Problem);
            Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), parsed.Value);
        }
    }

    [Theory]
    [InlineData(" 5s ", 5_000)]
    [InlineData("00:00:10", 10_000)]
    [InlineData("00:00:00.250", 250)]
    [InlineData("01:30:00", 5_400_000)]
    [InlineData("1.02:00:00", Day + 7_200_000)]
    public void Configuration_also_takes_blanks_around_and_hh_mm_ss(string text, long milliseconds)
    {
        Assert.Equal(ParsedDuration.Of(TimeSpan.FromMilliseconds(milliseconds)), DurationText.Parse(text, DurationSyntax.Configuration));
        Assert.StartsWith("is not " + DurationText.PrometheusExpected, DurationText.Parse(text, DurationSyntax.Prometheus).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData("s", "")]
    [InlineData("-1s", "")]
    [InlineData("+1s", "")]
    [InlineData("10", ": a number needs its unit (y, w, d, h, m, s, ms)")]
    [InlineData("1h30", ": a number needs its unit (y, w, d, h, m, s, ms)")]
    [InlineData("1.5m", ": whole numbers only (90s, not 1.5m)")]
    [InlineData("10 s", ": ' s' is not one of the units y, w, d, h, m, s, ms")]
    [InlineData("10sec", ": 'sec' is not one of the units y, w, d, h, m, s, ms")]
    [InlineData("1M", ": 'M' is not one of the units y, w, d, h, m, s, ms")]
    [InlineData("30s1m", ": units go from the largest to the smallest, each at most once (1m30s, not 30s1m)")]
    [InlineData("1m1m", ": units go from the largest to the smallest, each at most once (1m30s, not 30s1m)")]
    [InlineData("1ms1s", ": units go from the largest to the smallest, each at most once (1m30s, not 30s1m)")]
    [InlineData("99999999999999999999d", ": too long")]
    [InlineData("30000y", ": too long")]
    [InlineData("1:xx", ": hh:mm:ss, with optional days and fractions (1.02:03:04.5)")]
    [InlineData("10:00", ": hh:mm:ss, with optional days and fractions (1.02:03:04.5)")]
    [InlineData("-00:00:10", ": hh:mm:ss, with optional days and fractions (1.02:03:04.5)")]
    [InlineData("00:00:60", ": hh:mm:ss, with optional days and fractions (1.02:03:04.5)")]
    public void Configuration_refuses_anything_else_saying_what_was_expected(string? text, string detail)
    {
        var parsed = DurationText.Parse(text, DurationSyntax.Configuration);

        Assert.Equal("is not a duration such as '500ms', '10s', '1m30s' or '00:00:10'" + detail, parsed.Problem);
        Assert.False(parsed.IsValid);
        Assert.Equal(TimeSpan.Zero, parsed.Value);
    }

    [Theory]
    [InlineData(" 5s")]
    [InlineData("5s ")]
    [InlineData("00:00:10")]
    public void Prometheus_takes_nothing_around_the_duration_and_no_clock(string text) =>
        Assert.False(DurationText.TryParse(text, DurationSyntax.Prometheus, out _));

    [Theory]
    [InlineData("0s", "is not a positive duration")]
    [InlineData("0", "is not a positive duration")]
    [InlineData("100ms", "is shorter than the minimum 500ms")]
    [InlineData("soon", "is not a duration such as '500ms', '10s', '1m30s' or '00:00:10'")]
    public void A_positive_duration_with_a_minimum_names_the_bound(string text, string problem) =>
        Assert.Equal(problem, DurationText.ParsePositive(text, DurationSyntax.Configuration, TimeSpan.FromMilliseconds(500)).Problem);

    [Fact]
    public void A_positive_duration_at_the_minimum_is_taken() =>
        Assert.Equal(ParsedDuration.Of(TimeSpan.FromMilliseconds(500)), DurationText.ParsePositive("500ms", DurationSyntax.Configuration, TimeSpan.FromMilliseconds(500)));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(60_000, "1m")]
    [InlineData(90_000, "1m30s")]
    [InlineData(93_784_005, "1d2h3m4s5ms")]
    [InlineData(Day, "1d")]
    [InlineData(14 * Day, "2w")]
    [InlineData(90 * Day, "90d")]
    [InlineData(365 * Day, "1y")]
    [InlineData(-90_000, "-1m30s")]
    public void Formats_as_prometheus_writes_it(long milliseconds, string expected) =>
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Formatting_drops_what_is_below_a_millisecond() =>
        Assert.Equal("1s", DurationText.Format(TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(9_999)));

    [Theory]
    [InlineData("1m30s")]
    [InlineData("1d2h3m4s5ms")]
    [InlineData("1y")]
    [InlineData("2w")]
    [InlineData("500ms")]
    public void What_is_formatted_reads_back_the_same(string text)
    {
        Assert.True(DurationText.TryParse(text, DurationSyntax.Prometheus, out var duration));
        Assert.Equal(text, DurationText.Format(duration));
    }
}
