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

    /// <summary>
    /// The "P99 by caller" lines: <paramref name="callers"/> (bucket rates by caller and bound) one line per caller, then
    /// <paramref name="unmeshed"/> (bucket rates by bound) as the unmeshed clients' line when it has a point.
    /// </summary>
    public static IReadOnlyList<CallerLine> Callers(QueryRange range, ResourceKey resource, IReadOnlyList<PromSeries> callers, IReadOnlyList<PromSeries> unmeshed)
    {
        var kind = resource.Kind;
        var lines = callers
            .Select(s => (Caller: Caller(s, kind, resource.Namespace), Series: s))
            .Where(c => c.Caller is not null)
            .GroupBy(c => c.Caller!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CallerLine(g.Key, P99s(range, g.Select(c => c.Series))))
            .ToList();
        var outside = new CallerLine(StatTableRow.UnmeshedClientsName, P99s(range, unmeshed));
        if (outside.P99Ms.Any(v => v is not null))
        {
            lines.Add(outside);
        }

        return lines;
    }

    // A caller's name, qualified by its namespace when it is not the resource's.
    private static string? Caller(PromSeries series, WorkloadKind kind, string @namespace)
    {
        var ns = series.Labels.GetValueOrDefault(LabelNames.Namespace);
        var name = kind == WorkloadKind.Namespace ? ns : series.Labels.GetValueOrDefault(kind.PromLabel());
        return string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name) ? null
            : ns == @namespace || kind == WorkloadKind.Namespace ? name : $"{ns}/{name}";
    }

    private static List<double?> P99s(QueryRange range, IEnumerable<PromSeries> buckets)
    {
        var histogram = buckets
            .Select(s => (Bound: StatRows.Bound(s.Labels.GetValueOrDefault(PromQl.BucketBound)), Values: Values([s])))
            .Where(b => b.Bound is not null)
            .ToList();
        var p99s = new List<double?>();
        for (var t = range.Start; t <= range.End; t += range.Step)
        {
            var at = t;
            p99s.Add(Percentile(0.99, [.. histogram.Where(b => b.Values.ContainsKey(at)).Select(b => (b.Bound!.Value, b.Values[at]))]));
        }

        return p99s;
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
