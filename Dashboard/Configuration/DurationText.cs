using System.Globalization;
using System.Text;

namespace Dashboard.Configuration;

/// <summary>
/// Durations as Prometheus writes them (<c>500ms</c>, <c>10s</c>, <c>1m30s</c>, <c>2h</c>, <c>1d</c>), the
/// spelling users of these tools know, and .NET's <c>hh:mm:ss</c> for those who expect that.
/// </summary>
public static class DurationText
{
    public const string Expected = "a duration such as '500ms', '10s', '1m30s' or '00:00:10'";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
        }

        var total = 0L;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var digits = rest.IndexOfAnyExceptInRange('0', '9');
            if (digits <= 0 || !long.TryParse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            rest = rest[digits..];
            var unitLength = rest.IndexOfAnyInRange('0', '9');
            var unit = unitLength < 0 ? rest : rest[..unitLength];
            long? ticksPerUnit = unit switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                _ => null,
            };
            if (ticksPerUnit is not { } perUnit || number > (TimeSpan.MaxValue.Ticks - total) / perUnit)
            {
                return false;
            }

            total += number * perUnit;
            rest = rest[unit.Length..];
        }

        duration = TimeSpan.FromTicks(total);
        return true;
    }

    /// <summary>The shortest Prometheus spelling: <c>1m30s</c>, <c>500ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return duration == TimeSpan.Zero ? "0s" : "-" + Format(duration.Negate());
        }

        var text = new StringBuilder();
        Append(text, (long)duration.TotalDays, "d");
        Append(text, duration.Hours, "h");
        Append(text, duration.Minutes, "m");
        Append(text, duration.Seconds, "s");
        Append(text, duration.Milliseconds, "ms");
        return text.Length > 0 ? text.ToString() : "0s";
    }

    private static void Append(StringBuilder text, long value, string unit)
    {
        if (value > 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
