namespace Dashboard.Metrics;

/// <summary>
/// Prometheus' <c>histogram_quantile</c>, computed here from one query's bucket rates so that a table's three
/// percentiles cost Prometheus one pass over the bucket series instead of three (the bucket series dominate
/// its work: 26 per status code per pod). The semantics follow Prometheus' <c>bucketQuantile</c>
/// (promql/quantile.go): sorted buckets, equal bounds merged, counts forced monotonic, linear interpolation
/// within the bucket holding the rank, the largest finite bound when the rank falls in <c>+Inf</c>.
/// </summary>
public static class HistogramQuantile
{
    /// <summary>
    /// The <paramref name="quantile"/> of the cumulative <paramref name="buckets"/> (upper bound, count);
    /// NaN where Prometheus answers NaN (no observations, no <c>+Inf</c> bucket, fewer than two buckets).
    /// </summary>
    public static double Compute(double quantile, IEnumerable<(double UpperBound, double Count)> buckets) =>
        Compute([quantile], buckets)[0];

    /// <summary>
    /// Each of <paramref name="quantiles"/> of the same <paramref name="buckets"/>, which are sorted and checked once:
    /// a table computes three per row.
    /// </summary>
    public static double[] Compute(IReadOnlyList<double> quantiles, IEnumerable<(double UpperBound, double Count)> buckets)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        ArgumentNullException.ThrowIfNull(buckets);
        var sorted = Coalesce(buckets);
        var usable = sorted.Count >= 2 && double.IsPositiveInfinity(sorted[^1].UpperBound);
        if (usable)
        {
            EnsureMonotonic(sorted);
        }

        var results = new double[quantiles.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Quantile(quantiles[i], usable ? sorted : null);
        }

        return results;
    }

    private static double Quantile(double quantile, List<(double UpperBound, double Count)>? sorted)
    {
        if (double.IsNaN(quantile))
        {
            return double.NaN;
        }

        if (quantile < 0)
        {
            return double.NegativeInfinity;
        }

        if (quantile > 1)
        {
            return double.PositiveInfinity;
        }

        if (sorted is null)
        {
            return double.NaN;
        }

        var observations = sorted[^1].Count;
        if (observations == 0 || double.IsNaN(observations))
        {
            return double.NaN;
        }

        var rank = quantile * observations;
        var b = 0;
        while (b < sorted.Count - 1 && sorted[b].Count < rank)
        {
            b++;
        }

        if (b == sorted.Count - 1)
        {
            return sorted[^2].UpperBound;
        }

        if (b == 0 && sorted[0].UpperBound <= 0)
        {
            return sorted[0].UpperBound;
        }

        var (start, end, count) = (0.0, sorted[b].UpperBound, sorted[b].Count);
        if (b > 0)
        {
            start = sorted[b - 1].UpperBound;
            count -= sorted[b - 1].Count;
            rank -= sorted[b - 1].Count;
        }

        return start + ((end - start) * (rank / count));
    }

    private static List<(double UpperBound, double Count)> Coalesce(IEnumerable<(double UpperBound, double Count)> buckets)
    {
        var sorted = new List<(double UpperBound, double Count)>(buckets is ICollection<(double, double)> c ? c.Count : 32);
        foreach (var bucket in buckets)
        {
            if (!double.IsNaN(bucket.UpperBound))
            {
                sorted.Add(bucket);
            }
        }

        sorted.Sort((x, y) => x.UpperBound.CompareTo(y.UpperBound));
        for (var i = sorted.Count - 1; i > 0; i--)
        {
            if (sorted[i].UpperBound == sorted[i - 1].UpperBound)
            {
                sorted[i - 1] = (sorted[i - 1].UpperBound, sorted[i - 1].Count + sorted[i].Count);
                sorted.RemoveAt(i);
            }
        }

        return sorted;
    }

    // Rates of counters scraped at slightly different moments can make a higher bucket read a little less
    // than a lower one; Prometheus lifts it to the running maximum, and so do we.
    private static void EnsureMonotonic(List<(double UpperBound, double Count)> sorted)
    {
        var max = double.NegativeInfinity;
        for (var i = 0; i < sorted.Count; i++)
        {
            if (sorted[i].Count > max)
            {
                max = sorted[i].Count;
            }
            else if (sorted[i].Count < max)
            {
                sorted[i] = (sorted[i].UpperBound, max);
            }
        }
    }
}
