using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Dashboard.Contracts.Durations;

/// <summary>
/// The one duration grammar of the system, read and written here only. It is Prometheus' (prometheus/common
/// <c>model.ParseDuration</c>, which PromQL range selectors and Prometheus' configuration use): whole numbers
/// with the units y (365 days), w, d, h, m, s and ms, largest first and each at most once (<c>1m30s</c>,
/// <c>500ms</c>, <c>2h</c>), or a lone <c>0</c>. Where configuration is read (<see cref="DurationSyntax.Configuration"/>)
/// .NET's <c>hh:mm:ss</c> is taken too. <see cref="Format"/> writes Prometheus' own spelling back, so a range
/// selector the dashboard writes reads the same in Prometheus.
/// </summary>
public static class DurationText
{
    /// <summary>What <see cref="DurationSyntax.Configuration"/> takes, to follow "is not".</summary>
    public const string Expected = "a duration such as '500ms', '10s', '1m30s' or '00:00:10'";

    /// <summary>What <see cref="DurationSyntax.Prometheus"/> takes, to follow "is not".</summary>
    public const string PrometheusExpected = "a duration such as '500ms', '10s' or '1m30s'";

    private const string UnitList = "y, w, d, h, m, s, ms";

    // Largest first: the order a duration must write them in. Prometheus' year is 365 days, its week 7.
    private static readonly (string Name, long Ticks)[] Units =
    [
        ("y", 365 * TimeSpan.TicksPerDay),
        ("w", 7 * TimeSpan.TicksPerDay),
        ("d", TimeSpan.TicksPerDay),
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
        ("ms", TimeSpan.TicksPerMillisecond),
    ];

    public static string ExpectedIn(DurationSyntax syntax) =>
        syntax == DurationSyntax.Configuration ? Expected : PrometheusExpected;

    public static bool TryParse([NotNullWhen(true)] string? text, DurationSyntax syntax, out TimeSpan duration)
    {
        var parsed = Parse(text, syntax);
        duration = parsed.Value;
        return parsed.IsValid;
    }

    /// <summary>A duration of zero or more, or why <paramref name="text"/> is not one.</summary>
    public static ParsedDuration Parse(string? text, DurationSyntax syntax)
    {
        var expected = "is not " + ExpectedIn(syntax);
        if (syntax == DurationSyntax.Configuration)
        {
            text = text?.Trim();
        }

        if (string.IsNullOrEmpty(text))
        {
            return ParsedDuration.Refused(expected);
        }

        if (syntax == DurationSyntax.Configuration && text.Contains(':', StringComparison.Ordinal))
        {
            return ParseClock(text, expected);
        }

        return text == "0" ? ParsedDuration.Of(TimeSpan.Zero) : ParseUnits(text, expected);
    }

    /// <summary>A duration above zero and, when <paramref name="minimum"/> is given, at least that.</summary>
    public static ParsedDuration ParsePositive(string? text, DurationSyntax syntax, TimeSpan? minimum = null)
    {
        var parsed = Parse(text, syntax);
        if (!parsed.IsValid)
        {
            return parsed;
        }

        if (parsed.Value <= TimeSpan.Zero)
        {
            return ParsedDuration.Refused("is not a positive duration");
        }

        return minimum is { } least && parsed.Value < least
            ? ParsedDuration.Refused($"is shorter than the minimum {Format(least)}")
            : parsed;
    }

    /// <summary>
    /// Prometheus' spelling, to the millisecond: <c>1m30s</c>, <c>500ms</c>, <c>0s</c>. As Prometheus does, years
    /// and weeks are written only when they divide the duration (<c>90d</c> reads better than <c>12w6d</c>).
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        var milliseconds = duration.Ticks / TimeSpan.TicksPerMillisecond;
        if (milliseconds < 0)
        {
            return "-" + Format(TimeSpan.FromMilliseconds(-milliseconds));
        }

        var text = new StringBuilder();
        var rest = duration.Ticks - (duration.Ticks % TimeSpan.TicksPerMillisecond);
        foreach (var (name, ticks) in Units)
        {
            if (name is "y" or "w" && rest % ticks != 0)
            {
                continue;
            }

            if (rest / ticks is var amount and > 0)
            {
                text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(name);
                rest -= amount * ticks;
            }
        }

        return text.Length > 0 ? text.ToString() : "0s";
    }

    private static ParsedDuration ParseUnits(string text, string expected)
    {
        var total = 0L;
        var nextUnit = 0;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var digits = rest.IndexOfAnyExceptInRange('0', '9');
            if (digits == 0)
            {
                return ParsedDuration.Refused(expected);
            }

            if (digits < 0)
            {
                return ParsedDuration.Refused($"{expected}: a number needs its unit ({UnitList})");
            }

            if (rest[digits] is '.' or ',')
            {
                return ParsedDuration.Refused($"{expected}: whole numbers only (90s, not 1.5m)");
            }

            var unitEnd = rest[digits..].IndexOfAnyInRange('0', '9');
            var unit = unitEnd < 0 ? rest[digits..] : rest.Slice(digits, unitEnd);
            var index = IndexOfUnit(unit);
            if (index < 0)
            {
                return ParsedDuration.Refused($"{expected}: '{unit}' is not one of the units {UnitList}");
            }

            if (index < nextUnit)
            {
                return ParsedDuration.Refused($"{expected}: units go from the largest to the smallest, each at most once (1m30s, not 30s1m)");
            }

            var perUnit = Units[index].Ticks;
            if (!long.TryParse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || number > (TimeSpan.MaxValue.Ticks - total) / perUnit)
            {
                return ParsedDuration.Refused($"{expected}: too long");
            }

            total += number * perUnit;
            nextUnit = index + 1;
            rest = rest[(digits + unit.Length)..];
        }

        return ParsedDuration.Of(TimeSpan.FromTicks(total));
    }

    private static int IndexOfUnit(ReadOnlySpan<char> unit)
    {
        for (var i = 0; i < Units.Length; i++)
        {
            if (unit.SequenceEqual(Units[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    // TimeSpan's invariant "c" form, but always hours, minutes and seconds: its lone "10:00" is ten hours,
    // which a reader could take for ten minutes. No sign: a duration here is how long something lasts.
    private static ParsedDuration ParseClock(string text, string expected) =>
        text.Count(c => c == ':') == 2 && text[0] != '-'
            && TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var duration)
            ? ParsedDuration.Of(duration)
            : ParsedDuration.Refused($"{expected}: hh:mm:ss, with optional days and fractions (1.02:03:04.5)");
}
