using Dashboard.Contracts.Metrics;
using Dashboard.Model;

namespace Dashboard.Metrics;

/// <summary>Folds a chart's two range answers (rates by classification, bucket rates by bound) into one point per step.</summary>
internal static class TimelineMerge
{
    public static Timeline Merge(QueryRange range, IReadOnlyList<PromSeries> rates, IReadOnlyList<PromSeries> buckets)
    {
        var successes = Values(rates.Where(s => s.Labels.GetValueOrDefault(LabelNames.Classification) == LabelNames.Values.Success));
        var failures = Values(rates.Where(s => s.Labels.GetValueOrDefault(LabelNames.Classification) == LabelNames.Values.Failure));
        var histogram = buckets
            .Select(s => (Bound: StatRows.Bound(s.Labels.GetValueOrDefault(PromQl.BucketBound)), Values: Values([s])))
            .Where(b => b.Bound is not null)
            .ToList();

        var points = new List<TimelinePoint>();
        for (var t = range.Start; t <= range.End; t += range.Step)
        {
            var ok = successes.GetValueOrDefault(t);
            var failed = failures.GetValueOrDefault(t);
            var total = ok + failed;
            var rps = successes.ContainsKey(t) || failures.ContainsKey(t) ? total : (double?)null;
            var at = t;
            var bucketsAt = histogram.Where(b => b.Values.ContainsKey(at)).Select(b => (b.Bound!.Value, b.Values[at])).ToList();
            points.Add(new TimelinePoint(t, total > 0 ? ok / total : null, rps,
                Percentile(0.5, bucketsAt), Percentile(0.95, bucketsAt), Percentile(0.99, bucketsAt)));
        }

        return new Timeline(points, range.Step);
    }

    private static Dictionary<DateTimeOffset, double> Values(IEnumerable<PromSeries> series)
    {
        var sums = new Dictionary<DateTimeOffset, double>();
        foreach (var point in series.SelectMany(s => s.Points))
        {
            if (point.Value is { } value && double.IsFinite(value))
            {
                sums[point.Time] = sums.GetValueOrDefault(point.Time) + value;
            }
        }

        return sums;
    }

    private static double? Percentile(double quantile, List<(double, double)> buckets)
    {
        var ms = buckets.Count == 0 ? double.NaN : HistogramQuantile.Compute(quantile, buckets);
        return double.IsFinite(ms) ? ms : null;
    }
}
