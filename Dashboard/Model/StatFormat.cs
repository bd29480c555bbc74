using System.Globalization;

namespace Dashboard.Model;

/// <summary>How the tables and the CLI print a stat; "-" always means "no data".</summary>
public static class StatFormat
{
    public const string NoData = "-";

    /// <summary>Below this success rate a row is red (Linkerd's web UI threshold).</summary>
    public const double BadBelow = 0.90;

    /// <summary>Below this success rate a row is orange (Linkerd's web UI threshold).</summary>
    public const double WarnBelow = 0.95;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Health HealthOf(double? successRate) => successRate switch
    {
        null or double.NaN => Health.None,
        < BadBelow => Health.Bad,
        < WarnBelow => Health.Warn,
        _ => Health.Good,
    };

    /// <summary><c>99.50%</c>. Never rounds up to 100.00% while there were failures.</summary>
    public static string SuccessRate(double? rate) => Usable(rate) is { } r
        ? Percent(r, decimals: 2)
        : NoData;

    /// <summary><c>0.05rps</c>, <c>3.2rps</c>, <c>120rps</c>: about two significant digits below 100.</summary>
    public static string Rps(double? rps)
    {
        if (Usable(rps) is not { } r || r < 0)
        {
            return NoData;
        }

        // Something was counted (null is "nothing"), so a trickle must not print as zero.
        return r switch
        {
            0 => "0rps",
            < 0.01 => "<0.01rps",
            < 1 => r.ToString("0.00", Invariant) + "rps",
            < 99.95 => r.ToString("0.0", Invariant) + "rps",
            _ => r.ToString("0", Invariant) + "rps",
        };
    }

    /// <summary><c>850µs</c>, <c>17ms</c>, <c>1.25s</c>: the unit is chosen after rounding, so 999.7ms is 1.00s.</summary>
    public static string Latency(double? milliseconds)
    {
        if (Usable(milliseconds) is not { } ms || ms < 0)
        {
            return NoData;
        }

        var micros = Math.Round(ms * 1000, MidpointRounding.AwayFromZero);
        if (micros < 1000)
        {
            return micros.ToString("0", Invariant) + "µs";
        }

        var millis = Math.Round(ms, MidpointRounding.AwayFromZero);
        return millis < 1000
            ? millis.ToString("0", Invariant) + "ms"
            : (ms / 1000).ToString("0.00", Invariant) + "s";
    }

    /// <summary><c>850B/s</c>, <c>12.5KiB/s</c>, <c>3.1MiB/s</c>: a TCP edge's throughput.</summary>
    public static string BytesPerSecond(double? perSecond) => Usable(perSecond) switch
    {
        not { } or < 0 => NoData,
        >= 1024 * 1024 and var b => (b / (1024 * 1024)).ToString("0.#", Invariant) + "MiB/s",
        >= 1024 and var b => (b / 1024).ToString("0.#", Invariant) + "KiB/s",
        var b => b!.Value.ToString("0", Invariant) + "B/s",
    };

    /// <summary>How long ago something was, as banners and panels say it: <c>40s</c>, <c>5m</c>, <c>2h</c>.</summary>
    public static string Age(TimeSpan age) =>
        age.TotalSeconds < 90 ? $"{Math.Max(0, (int)age.TotalSeconds)}s" : age.TotalMinutes < 90 ? $"{(int)age.TotalMinutes}m" : $"{(int)age.TotalHours}h";

    /// <summary><c>0%</c> … <c>100%</c>. Neither end is claimed unless it is exact: partial mTLS shows as 1%–99%.</summary>
    public static string TlsShare(double? share) => Usable(share) is { } s
        ? Percent(s, decimals: 0)
        : NoData;

    private static string Percent(double fraction, int decimals)
    {
        var step = decimals == 0 ? 1m : 0.01m;
        // decimal, so that 0.995 is 99.5 and not 99.4999…; the clamps keep rounding from hiding a failure.
        var percent = Math.Round((decimal)Math.Clamp(fraction, 0, 1) * 100, decimals, MidpointRounding.AwayFromZero);
        if (fraction < 1 && percent >= 100)
        {
            percent = 100 - step;
        }
        else if (fraction > 0 && percent <= 0)
        {
            percent = step;
        }

        return percent.ToString(decimals == 0 ? "0" : "0.00", Invariant) + "%";
    }

    private static double? Usable(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
