using System.Globalization;
using Dashboard.Contracts.Metrics;
using Dashboard.Model;

namespace Dashboard.Metrics;

/// <summary>Folds the answers of one table's queries (counts + latency buckets) into one <see cref="StatCounts"/> per row.</summary>
internal static class StatRows
{
    /// <param name="kind">The kind of the rows.</param>
    /// <param name="namespaceLabel">The label naming a row's namespace (<c>namespace</c> or <c>dst_namespace</c>).</param>
    /// <param name="nameLabel">The label naming a row (<c>deployment</c>, <c>dst_deployment</c>, …); unused for namespaces.</param>
    /// <param name="counts">The counts query's answer: one series per row, classification and tls.</param>
    /// <param name="latencies">
    /// The latency query's answer: bucket rates, one series per row and bound <c>le</c>, or (recorded for pods)
    /// the percentiles themselves, one series per row and <c>quantile</c>.
    /// </param>
    /// <param name="shape">Which of the two <paramref name="latencies"/> is.</param>
    public static IReadOnlyDictionary<ResourceKey, StatCounts> Merge(
        WorkloadKind kind, string namespaceLabel, string nameLabel, StatWindow window,
        IReadOnlyList<PromSample> counts, IReadOnlyList<PromSample> latencies, LatencyAnswer shape = LatencyAnswer.Buckets)
    {
        var tallies = new Dictionary<ResourceKey, Tally>();
        foreach (var sample in counts)
        {
            if (Key(sample, kind, namespaceLabel, nameLabel) is not { } key || sample.Value is not { } value
                || !double.IsFinite(value) || value <= 0)
            {
                continue;
            }

            if (!tallies.TryGetValue(key, out var tally))
            {
                tallies[key] = tally = new Tally();
            }

            tally.Add(sample.Label(LabelNames.Classification), sample.Label(LabelNames.Tls), value);
        }

        var percentiles = shape == LatencyAnswer.Quantiles
            ? RecordedPercentiles(latencies, kind, namespaceLabel, nameLabel)
            : Histograms(latencies, kind, namespaceLabel, nameLabel).ToDictionary(h => h.Key, h => Percentiles(h.Value));
        var rows = new Dictionary<ResourceKey, StatCounts>(tallies.Count);
        foreach (var (key, tally) in tallies)
        {
            // A row whose counters did not move in the window had no traffic: it is left out, and shown as "-".
            if (tally.Successes + tally.Failures <= 0)
            {
                continue;
            }

            var row = percentiles.GetValueOrDefault(key) ?? new double?[PromQl.Quantiles.Count];
            rows[key] = new StatCounts(tally.Successes, tally.Failures, tally.Tls, window.TotalSeconds, row[0], row[1], row[2]);
        }

        return rows;
    }

    private static Dictionary<ResourceKey, List<(double UpperBound, double Count)>> Histograms(
        IReadOnlyList<PromSample> answer, WorkloadKind kind, string namespaceLabel, string nameLabel)
    {
        var histograms = new Dictionary<ResourceKey, List<(double, double)>>();
        var bounds = new Dictionary<string, double?>(StringComparer.Ordinal); // a few bounds, each on every row
        foreach (var sample in answer)
        {
            if (Key(sample, kind, namespaceLabel, nameLabel) is not { } key || sample.Label(PromQl.BucketBound) is not { } le)
            {
                continue;
            }

            if (!bounds.TryGetValue(le, out var parsed))
            {
                bounds[le] = parsed = Bound(le);
            }

            if (parsed is not { } bound)
            {
                continue;
            }

            if (!histograms.TryGetValue(key, out var buckets))
            {
                histograms[key] = buckets = new(MetricNames.LatencyBucketsMs.Count + 1);
            }

            buckets.Add((bound, sample.Value ?? double.NaN));
        }

        return histograms;
    }

    // Prometheus' histogram_quantile, recorded: NaN (no observations) is null already; +Inf or -Inf is no number either.
    private static Dictionary<ResourceKey, double?[]> RecordedPercentiles(
        IReadOnlyList<PromSample> answer, WorkloadKind kind, string namespaceLabel, string nameLabel)
    {
        var rows = new Dictionary<ResourceKey, double?[]>();
        foreach (var sample in answer)
        {
            var index = IndexOfQuantile(sample.Label(PromQl.QuantileLabel));
            if (index < 0 || Key(sample, kind, namespaceLabel, nameLabel) is not { } key)
            {
                continue;
            }

            if (!rows.TryGetValue(key, out var row))
            {
                rows[key] = row = new double?[PromQl.Quantiles.Count];
            }

            row[index] = sample.Value is { } ms && double.IsFinite(ms) ? ms : null;
        }

        return rows;

        static int IndexOfQuantile(string? label)
        {
            for (var i = 0; i < PromQl.Quantiles.Count; i++)
            {
                if (label == PromQl.Number(PromQl.Quantiles[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>A bucket's upper bound (<c>le</c>: a number or <c>+Inf</c>); null for a series without one.</summary>
    internal static double? Bound(string? le) => le switch
    {
        null => null,
        "+Inf" => double.PositiveInfinity,
        _ => double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) ? bound : null,
    };

    /// <summary>
    /// P50, P95 and P99 of a row; null where there is no number to show: no observations (NaN), or the
    /// percentile lies beyond the largest finite bound.
    /// </summary>
    private static double?[] Percentiles(List<(double UpperBound, double Count)> histogram)
    {
        return [.. HistogramQuantile.Compute(PromQl.Quantiles, histogram).Select(ms => double.IsFinite(ms) ? ms : (double?)null)];
    }

    /// <summary>The row of a series; null for a series without the row's labels (e.g. a pod of no deployment).</summary>
    internal static ResourceKey? Key(PromSample sample, WorkloadKind kind, string namespaceLabel, string nameLabel)
    {
        var ns = sample.Label(namespaceLabel);
        if (string.IsNullOrEmpty(ns))
        {
            return null;
        }

        if (kind == WorkloadKind.Namespace)
        {
            return ResourceKey.ForNamespace(ns);
        }

        var name = sample.Label(nameLabel);
        return string.IsNullOrEmpty(name) ? null : new ResourceKey(kind, ns, name);
    }

    private sealed class Tally
    {
        public double Successes { get; private set; }

        public double Failures { get; private set; }

        public double Tls { get; private set; }

        public void Add(string? classification, string? tls, double value)
        {
            switch (classification)
            {
                case LabelNames.Values.Success:
                    Successes += value;
                    break;
                case LabelNames.Values.Failure:
                    Failures += value;
                    break;
                default:
                    return; // not a response the proxy classified: it counts neither way
            }

            if (tls == LabelNames.Values.TlsTrue)
            {
                Tls += value;
            }
        }
    }
}
