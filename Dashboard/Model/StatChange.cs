using System.Globalization;
using Dashboard.Contracts.Metrics;

namespace Dashboard.Model;

/// <summary>The columns a comparison shows a change for.</summary>
public enum StatColumn
{
    SuccessRate,
    Rps,
    P50,
    P95,
    P99,
    Tls,
}

/// <summary>
/// One number of a row beside its value in the other window of a comparison, with the change and whether the change is
/// larger than the noise (<see cref="StatNoise"/>).
/// </summary>
/// <param name="Other">The value in the other window as the table prints it (<c>9ms</c>, <c>-</c>).</param>
/// <param name="Delta">The change as the table prints it (<c>+253ms</c>); null when either window has no number.</param>
/// <param name="Significant">Whether the change is larger than the noise.</param>
/// <param name="Up">Whether the number rose.</param>
public sealed record StatChange(string Other, string? Delta, bool Significant, bool Up)
{
    /// <summary>The arrow that marks a change larger than the noise: ▲ or ▼; empty otherwise.</summary>
    public string Arrow => Significant ? (Up ? "▲" : "▼") : "";

    /// <summary><paramref name="column"/> of <paramref name="now"/> beside <paramref name="then"/> (either null: no traffic).</summary>
    public static StatChange For(StatColumn column, StatCounts? now, StatCounts? then)
    {
        var (a, b) = (Value(column, now), Value(column, then));
        var other = Format(column, b);
        if (a is not { } x || b is not { } y || !double.IsFinite(x) || !double.IsFinite(y))
        {
            return new StatChange(other, null, false, false);
        }

        var significant = column switch
        {
            StatColumn.SuccessRate => StatNoise.SuccessRateChanged(now!, then!),
            StatColumn.Rps => StatNoise.RpsChanged(now!, then!),
            StatColumn.P50 or StatColumn.P95 or StatColumn.P99 => StatNoise.LatencyChanged(x, y),
            _ => false, // the TLS share has no noise model: shown, never marked
        };
        return new StatChange(other, DeltaText(column, x - y), significant, x > y);
    }

    /// <summary>The column's number of a row; null without traffic.</summary>
    public static double? Value(StatColumn column, StatCounts? stats) => column switch
    {
        StatColumn.SuccessRate => stats?.SuccessRate,
        StatColumn.Rps => stats?.Rps,
        StatColumn.P50 => stats?.P50Ms,
        StatColumn.P95 => stats?.P95Ms,
        StatColumn.P99 => stats?.P99Ms,
        StatColumn.Tls => stats?.TlsShare,
        _ => null,
    };

    /// <summary>The column's number as the table prints it.</summary>
    public static string Format(StatColumn column, double? value) => column switch
    {
        StatColumn.SuccessRate => StatFormat.SuccessRate(value),
        StatColumn.Rps => StatFormat.Rps(value),
        StatColumn.Tls => StatFormat.TlsShare(value),
        _ => StatFormat.Latency(value),
    };

    private static string DeltaText(StatColumn column, double change)
    {
        if (change == 0)
        {
            return "±0";
        }

        var sign = change < 0 ? "-" : "+";
        var size = Math.Abs(change);
        return sign + column switch
        {
            // Percentage points: a rate's change is not a rate, so StatFormat's clamps do not apply.
            StatColumn.SuccessRate => (size * 100).ToString("0.00", CultureInfo.InvariantCulture) + "pp",
            StatColumn.Tls => (size * 100).ToString("0", CultureInfo.InvariantCulture) + "pp",
            StatColumn.Rps => StatFormat.Rps(size),
            _ => StatFormat.Latency(size),
        };
    }
}

/// <summary>
/// When a change between two windows is larger than the noise: the one definition behind the marks of <c>compare=</c>
/// and <c>stat --compare</c>.
/// <list type="bullet">
/// <item>success rate: a two-proportion z-test on the success and failure counts, |z| ≥ <see cref="Z"/>;</item>
/// <item>RPS: the two counts as Poisson draws over their windows, |z| ≥ <see cref="Z"/> on the rate difference;</item>
/// <item>latency: at least <see cref="LatencyRelative"/> relative change, and at least the width of the histogram bucket
/// the larger value falls in (a percentile is interpolated within its bucket, so a smaller move is within its resolution).</item>
/// </list>
/// </summary>
public static class StatNoise
{
    /// <summary>Three standard errors: a two-sided p of about 0.003, so a table of 100 numbers marks a noise change rarely.</summary>
    public const double Z = 3;

    /// <summary>A latency must change by this share of the other window's value (20 %).</summary>
    public const double LatencyRelative = 0.2;

    public static bool SuccessRateChanged(StatCounts now, StatCounts then)
    {
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(then);
        var (n1, n2) = (now.Total, then.Total);
        if (n1 <= 0 || n2 <= 0)
        {
            return false;
        }

        var pooled = (now.Successes + then.Successes) / (n1 + n2);
        var variance = pooled * (1 - pooled) * ((1 / n1) + (1 / n2));
        // Both windows all successes (or all failures): nothing changed.
        return variance > 0 && Math.Abs((now.Successes / n1) - (then.Successes / n2)) / Math.Sqrt(variance) >= Z;
    }

    public static bool RpsChanged(StatCounts now, StatCounts then)
    {
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(then);
        if (now.WindowSeconds <= 0 || then.WindowSeconds <= 0 || now.Total + then.Total <= 0)
        {
            return false;
        }

        // Var(N / t) = λ / t for a Poisson count N over t, estimated by N / t².
        var variance = (now.Total / (now.WindowSeconds * now.WindowSeconds)) + (then.Total / (then.WindowSeconds * then.WindowSeconds));
        var difference = (now.Total / now.WindowSeconds) - (then.Total / then.WindowSeconds);
        return Math.Abs(difference) / Math.Sqrt(variance) >= Z;
    }

    public static bool LatencyChanged(double nowMs, double thenMs)
    {
        if (!double.IsFinite(nowMs) || !double.IsFinite(thenMs) || nowMs < 0 || thenMs < 0)
        {
            return false;
        }

        var change = Math.Abs(nowMs - thenMs);
        return change >= LatencyRelative * thenMs && change >= BucketWidth(Math.Max(nowMs, thenMs));
    }

    /// <summary>
    /// The width (ms) of the latency histogram bucket <paramref name="ms"/> falls in (<see cref="MetricNames.LatencyBucketsMs"/>;
    /// the first bucket starts at 0); infinite beyond the largest finite bound, where no change is resolved.
    /// </summary>
    public static double BucketWidth(double ms)
    {
        var lower = 0.0;
        foreach (var bound in MetricNames.LatencyBucketsMs)
        {
            if (ms <= bound)
            {
                return bound - lower;
            }

            lower = bound;
        }

        return double.PositiveInfinity;
    }
}
