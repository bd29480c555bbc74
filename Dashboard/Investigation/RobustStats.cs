using Dashboard.Contracts.Utils;

namespace Dashboard.Investigation;

/// <summary>
/// Median and median absolute deviation: a baseline that a few spikes do not move (a mean and standard deviation
/// would rise with the very spikes they are meant to find). Used for episodes over time and for pods against
/// their siblings alike.
/// </summary>
public static class RobustStats
{
    /// <summary>MAD × this estimates the standard deviation of normally distributed values.</summary>
    public const double MadToSigma = 1.4826;

    /// <summary>The median of the finite values; null when there are none.</summary>
    public static double? Median(IEnumerable<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.OfType<double>().Where(double.IsFinite).Order().ToArray();
        return sorted.Length == 0 ? null : MedianOfSorted(sorted);
    }

    /// <summary>The nearest-rank <paramref name="q"/>-quantile of the finite values (the smallest value with at least that share at or below it); null when there are none.</summary>
    public static double? Quantile(IEnumerable<double> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        return NearestRank.Of([.. values.Where(double.IsFinite).Order()], q);
    }

    /// <summary>The median and scaled MAD of the finite values; null when there are none.</summary>
    public static RobustBaseline? Baseline(IEnumerable<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.OfType<double>().Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var median = MedianOfSorted(sorted);
        var deviations = sorted.Select(v => Math.Abs(v - median)).Order().ToArray();
        return new RobustBaseline(median, MadToSigma * MedianOfSorted(deviations), sorted.Length);
    }

    private static double MedianOfSorted(double[] sorted) => sorted.Length % 2 == 1
        ? sorted[sorted.Length / 2]
        : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>A robust baseline: the median, and the MAD scaled to a standard deviation (<see cref="RobustStats.MadToSigma"/>).</summary>
/// <param name="Count">How many values it was computed from.</param>
public readonly record struct RobustBaseline(double Median, double Sigma, int Count)
{
    /// <summary>
    /// Whether <paramref name="value"/> lies above the baseline by all three of the thresholds: robust standard
    /// deviations, a factor of the median, and an absolute amount (so a flat baseline, whose MAD is 0, does not turn
    /// every wobble into a spike).
    /// </summary>
    public bool IsHigh(double value, DeviationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        return double.IsFinite(value)
            && value - Median >= thresholds.Sigmas * Sigma
            && value >= Median * thresholds.Factor
            && value - Median >= thresholds.Absolute;
    }
}

/// <summary>How far above its baseline a value must be to count as a deviation (all three must hold).</summary>
/// <param name="Sigmas">Robust standard deviations above the median.</param>
/// <param name="Factor">Times the median.</param>
/// <param name="Absolute">Above the median, in the metric's unit (ms, or a share of requests for failure rates).</param>
public sealed record DeviationThresholds(double Sigmas, double Factor, double Absolute);
