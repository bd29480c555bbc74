using Dashboard.Model;

namespace Dashboard.Investigation;

/// <summary>
/// Pods whose latency or success rate deviates from their replicas': each pod against the robust baseline of the
/// others (leave one out, so the outlier does not widen its own baseline). The one test behind the pods tables'
/// flags, <c>stat po -o wide</c> and a diagnosis' outliers.
/// </summary>
public static class SiblingOutliers
{
    /// <summary>Fewer siblings than this (besides the pod itself) give no baseline to deviate from.</summary>
    public const int MinSiblings = 2;

    /// <param name="pods">Each pod of one workload with its numbers over the window (null: no traffic).</param>
    /// <returns>The outliers, one entry per pod and metric that deviates, ordered by pod then metric.</returns>
    public static IReadOnlyList<PodOutlier> Find(IReadOnlyDictionary<string, StatCounts?> pods, InvestigationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(thresholds);
        var measured = pods.Where(p => p.Value is { } s && s.Total >= thresholds.MinRequests)
            .ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
        if (measured.Count < MinSiblings + 1)
        {
            return [];
        }

        var outliers = new List<PodOutlier>();
        foreach (var (pod, stats) in measured.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var siblings = measured.Where(p => p.Key != pod).Select(p => p.Value).ToList();
            foreach (var metric in Enum.GetValues<OutlierMetric>())
            {
                if (Value(stats, metric) is not { } value
                    || RobustStats.Baseline(siblings.Select(s => Value(s, metric))) is not { Count: >= MinSiblings } baseline)
                {
                    continue;
                }

                var deviates = metric == OutlierMetric.SuccessRate
                    // A success rate deviates downwards: its failure rate is tested for being high.
                    ? new RobustBaseline(1 - baseline.Median, baseline.Sigma, baseline.Count).IsHigh(1 - value, thresholds.FailureRate)
                    : baseline.IsHigh(value, thresholds.Latency);
                if (deviates)
                {
                    outliers.Add(new PodOutlier(pod, metric, value, baseline.Median));
                }
            }
        }

        return outliers;
    }

    private static double? Value(StatCounts stats, OutlierMetric metric) => metric switch
    {
        OutlierMetric.P50 => stats.P50Ms,
        OutlierMetric.P95 => stats.P95Ms,
        OutlierMetric.P99 => stats.P99Ms,
        OutlierMetric.SuccessRate => stats.SuccessRate,
        _ => null,
    };
}

/// <summary>
/// When a value counts as deviating, for latencies (ms) and failure rates (a share of requests), and how many requests
/// a point or a pod needs before it is judged at all. Configured by <c>Dashboard:Investigation</c>.
/// </summary>
public sealed record InvestigationThresholds(DeviationThresholds Latency, DeviationThresholds FailureRate, double MinRequests)
{
    /// <summary>
    /// 5 robust standard deviations, twice and 10 ms above the median for latencies (a quantile of a few dozen requests
    /// moves by half again with two slow ones); 5 standard deviations, twice and 5 points above it for failure rates;
    /// 10 requests at least.
    /// </summary>
    public static InvestigationThresholds Default { get; } = new(new(5, 2, 10), new(5, 2, 0.05), 10);
}
