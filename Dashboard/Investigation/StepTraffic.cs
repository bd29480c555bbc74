using Dashboard.Contracts.Metrics;
using Dashboard.Metrics;

namespace Dashboard.Investigation;

/// <summary>
/// One group's traffic per step of an investigation (the resource, one of its callers, pods or downstreams): its latency
/// histogram and its responses at each point, both as requests over the point's rate window. Percentiles and failure
/// rates come from it per point, or over any set of points at once (an episode, the time outside episodes), where the
/// requests of every point count together.
/// </summary>
public sealed class StepTraffic
{
    private readonly Dictionary<DateTimeOffset, List<(double UpperBound, double Count)>> _buckets = [];
    private readonly Dictionary<DateTimeOffset, (double Successes, double Failures)> _responses = [];

    /// <summary>Adds <paramref name="requests"/> to the bucket of <paramref name="upperBound"/> at <paramref name="time"/>.</summary>
    public void AddBucket(DateTimeOffset time, double upperBound, double requests)
    {
        if (!double.IsFinite(requests) || double.IsNaN(upperBound))
        {
            return;
        }

        if (!_buckets.TryGetValue(time, out var buckets))
        {
            _buckets[time] = buckets = new(MetricNames.LatencyBucketsMs.Count + 1);
        }

        buckets.Add((upperBound, requests));
    }

    /// <summary>Adds <paramref name="requests"/> responses, failures or successes, at <paramref name="time"/>.</summary>
    public void AddResponses(DateTimeOffset time, bool failure, double requests)
    {
        if (!double.IsFinite(requests))
        {
            return;
        }

        var (ok, failed) = _responses.GetValueOrDefault(time);
        _responses[time] = failure ? (ok, failed + requests) : (ok + requests, failed);
    }

    /// <summary>
    /// <paramref name="metric"/> over the points at <paramref name="times"/> together, and how many requests it was measured
    /// on; the value is null without requests (or, for a percentile, when it lies beyond the largest finite bound).
    /// </summary>
    public (double? Value, double Requests) Measure(SpikeMetric metric, IEnumerable<DateTimeOffset> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (metric == SpikeMetric.FailureRate)
        {
            double ok = 0, failed = 0;
            foreach (var time in times)
            {
                var (s, f) = _responses.GetValueOrDefault(time);
                ok += s;
                failed += f;
            }

            return (ok + failed > 0 ? failed / (ok + failed) : null, ok + failed);
        }

        var sums = new Dictionary<double, double>();
        foreach (var time in times)
        {
            foreach (var (bound, count) in _buckets.GetValueOrDefault(time) ?? [])
            {
                sums[bound] = sums.GetValueOrDefault(bound) + count;
            }
        }

        var requests = sums.GetValueOrDefault(double.PositiveInfinity);
        if (requests <= 0)
        {
            return (null, 0);
        }

        var ms = HistogramQuantile.Compute(Quantile(metric), sums.Select(b => (b.Key, b.Value)));
        return (double.IsFinite(ms) ? ms : null, requests);
    }

    /// <summary>The quantile a latency metric is.</summary>
    public static double Quantile(SpikeMetric metric) => metric switch
    {
        SpikeMetric.P99 => 0.99,
        SpikeMetric.P95 => 0.95,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "not a latency metric"),
    };

    /// <summary>One point per time of <paramref name="times"/>: <paramref name="metric"/> at it, and its requests.</summary>
    public IReadOnlyList<MetricPoint> Points(SpikeMetric metric, IEnumerable<DateTimeOffset> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var points = new List<MetricPoint>();
        foreach (var time in times)
        {
            var (value, requests) = Measure(metric, [time]);
            points.Add(new MetricPoint(time, value, requests));
        }

        return points;
    }

    /// <summary>
    /// The traffic of each group in range answers: bucket rates by <c>le</c> and response rates by classification (either
    /// may be null), each scaled by <paramref name="scale"/> (the rate window in seconds turns rates into requests).
    /// </summary>
    /// <param name="groupOf">A series' group; null leaves it out.</param>
    public static Dictionary<string, StepTraffic> Group(
        IReadOnlyList<PromSeries>? buckets, IReadOnlyList<PromSeries>? responses, Func<IReadOnlyDictionary<string, string>, string?> groupOf,
        double bucketScale, double responseScale)
    {
        ArgumentNullException.ThrowIfNull(groupOf);
        var groups = new Dictionary<string, StepTraffic>(StringComparer.Ordinal);
        foreach (var series in buckets ?? [])
        {
            if (groupOf(series.Labels) is not { } group || StatRows.Bound(series.Labels.GetValueOrDefault(PromQl.BucketBound)) is not { } bound)
            {
                continue;
            }

            var traffic = Of(groups, group);
            foreach (var point in series.Points)
            {
                if (point.Value is { } value)
                {
                    traffic.AddBucket(point.Time, bound, value * bucketScale);
                }
            }
        }

        foreach (var series in responses ?? [])
        {
            var classification = series.Labels.GetValueOrDefault(LabelNames.Classification);
            if (groupOf(series.Labels) is not { } group || classification is not (LabelNames.Values.Success or LabelNames.Values.Failure))
            {
                continue;
            }

            var traffic = Of(groups, group);
            foreach (var point in series.Points)
            {
                if (point.Value is { } value)
                {
                    traffic.AddResponses(point.Time, classification == LabelNames.Values.Failure, value * responseScale);
                }
            }
        }

        return groups;

        static StepTraffic Of(Dictionary<string, StepTraffic> groups, string group) =>
            groups.TryGetValue(group, out var traffic) ? traffic : groups[group] = new StepTraffic();
    }
}

/// <summary>A metric at one point of an investigation, and how many requests it was measured on.</summary>
/// <param name="Value">Null where nothing was measured.</param>
public readonly record struct MetricPoint(DateTimeOffset Time, double? Value, double Requests);
