using Dashboard.Investigation;
using Dashboard.Kubernetes;
using Dashboard.Model;

namespace Dashboard.Services;

/// <summary>Flags the pods of a pods table that stand out among their workload's pods (<see cref="SiblingOutliers"/>).</summary>
public static class StatTableOutliers
{
    // The flag names one metric: the one a user reads first.
    private static readonly OutlierMetric[] Preference = [OutlierMetric.P99, OutlierMetric.P95, OutlierMetric.P50, OutlierMetric.SuccessRate];

    /// <summary>The rows, those of outlying pods with <see cref="StatTableRow.Outlier"/> set; pods of no workload are never flagged.</summary>
    public static List<StatTableRow> Mark(List<StatTableRow> rows, InventorySnapshot snapshot) =>
        Mark(rows, row => snapshot.GetPod(row.Namespace, row.Name) is { } pod ? InventorySnapshot.OwnerOf(pod) : null, InvestigationThresholds.Default);

    /// <param name="ownerOf">The workload a pod belongs to; null for none.</param>
    public static List<StatTableRow> Mark(List<StatTableRow> rows, Func<StatTableRow, ResourceKey?> ownerOf, InvestigationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(ownerOf);
        var flags = new Dictionary<(string Namespace, string Pod), PodOutlierNote>();
        foreach (var workload in rows.GroupBy(ownerOf).Where(g => g.Key is not null))
        {
            var pods = workload.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Stats, StringComparer.Ordinal);
            foreach (var pod in SiblingOutliers.Find(pods, thresholds).GroupBy(o => o.Pod, StringComparer.Ordinal))
            {
                var first = pod.OrderBy(o => Array.IndexOf(Preference, o.Metric)).First();
                flags[(workload.Key!.Value.Namespace, pod.Key)] = Note(first);
            }
        }

        return flags.Count == 0 ? rows : [.. rows.Select(r => flags.TryGetValue((r.Namespace, r.Name), out var note) ? r with { Outlier = note } : r)];
    }

    private static PodOutlierNote Note(PodOutlier outlier) => outlier.Metric == OutlierMetric.SuccessRate
        ? new("success", StatFormat.SuccessRate(outlier.Value), StatFormat.SuccessRate(outlier.SiblingsMedian))
        : new(outlier.Metric.ToString(), StatFormat.Latency(outlier.Value), StatFormat.Latency(outlier.SiblingsMedian));
}
