namespace Dashboard.Contracts.Utils;

/// <summary>
/// Exact quantiles of a set of values by nearest rank: the smallest value with at least the share <c>q</c> of the values at
/// or below it (no interpolation). The fleet's ground truth and the investigation's tap samples alike.
/// </summary>
public static class NearestRank
{
    /// <summary>The <paramref name="q"/>-quantile of <paramref name="sorted"/> (ascending); null when it is empty.</summary>
    public static double? Of(double[] sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
