using Dashboard.Contracts.Metrics;
using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Investigation;

/// <summary>
/// The tables' badges: per row, the P95 episodes (from a per-row <c>histogram_quantile</c> range answer) and the
/// failure-rate episodes (from a per-row counts range answer), found as an investigation finds them. P95, not P99: a
/// quantile is judged only where its tail holds a request (<see cref="EpisodeDetection.RequestsToJudge"/>), and P95's
/// does at a fifth of the traffic, so quieter rows get badges too; a spike large enough to matter moves both.
/// </summary>
public static class RowEpisodes
{
    /// <summary>The rows with at least one episode, and how many.</summary>
    public static IReadOnlyDictionary<ResourceKey, int> Count(
        WorkloadKind kind, IReadOnlyList<DateTimeOffset> times, TimeSpan step, IReadOnlyList<PromSeries> p95, IReadOnlyList<PromSeries> counts,
        InvestigationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(p95);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(thresholds);
        var traffic = StepTraffic.Group(null, counts, l => RowOf(kind, l), 0, 1);
        var latencies = new Dictionary<string, Dictionary<DateTimeOffset, double>>(StringComparer.Ordinal);
        foreach (var series in p95)
        {
            if (RowOf(kind, series.Labels) is not { } row)
            {
                continue;
            }

            var values = latencies.TryGetValue(row, out var v) ? v : latencies[row] = [];
            foreach (var point in series.Points)
            {
                if (point.Value is { } ms && double.IsFinite(ms))
                {
                    values[point.Time] = ms;
                }
            }
        }

        var rows = new Dictionary<ResourceKey, int>();
        foreach (var (row, rowTraffic) in traffic)
        {
            var requests = rowTraffic.Points(SpikeMetric.FailureRate, times);
            var values = latencies.GetValueOrDefault(row);
            var latency = requests.Select(p => p with { Value = values?.TryGetValue(p.Time, out var ms) == true ? ms : null }).ToList();
            var episodes = EpisodeDetection.Find(latency, SpikeMetric.P95, step, thresholds.Latency, thresholds.MinRequests).Count
                + EpisodeDetection.Find(requests, SpikeMetric.FailureRate, step, thresholds.FailureRate, thresholds.MinRequests).Count;
            if (episodes > 0)
            {
                rows[Parse(kind, row)] = episodes;
            }
        }

        return rows;
    }

    private static string? RowOf(WorkloadKind kind, IReadOnlyDictionary<string, string> labels)
    {
        if (labels.GetValueOrDefault(LabelNames.Namespace) is not { Length: > 0 } ns)
        {
            return null;
        }

        if (kind == WorkloadKind.Namespace)
        {
            return ns;
        }

        return labels.GetValueOrDefault(kind.PromLabel()) is { Length: > 0 } name ? $"{ns}/{name}" : null;
    }

    private static ResourceKey Parse(WorkloadKind kind, string row)
    {
        if (kind == WorkloadKind.Namespace)
        {
            return ResourceKey.ForNamespace(row);
        }

        var slash = row.IndexOf('/', StringComparison.Ordinal);
        return new ResourceKey(kind, row[..slash], row[(slash + 1)..]);
    }
}
