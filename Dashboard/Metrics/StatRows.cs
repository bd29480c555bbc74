using Dashboard.Contracts.Metrics;
using Dashboard.Model;

namespace Dashboard.Metrics;

/// <summary>Folds the answers of one table's queries (counts + quantiles) into one <see cref="StatCounts"/> per row.</summary>
internal static class StatRows
{
    /// <param name="kind">The kind of the rows.</param>
    /// <param name="namespaceLabel">The label naming a row's namespace (<c>namespace</c> or <c>dst_namespace</c>).</param>
    /// <param name="nameLabel">The label naming a row (<c>deployment</c>, <c>dst_deployment</c>, …); unused for namespaces.</param>
    /// <param name="counts">The counts query's answer: one series per row, classification and tls.</param>
    /// <param name="quantiles">The P50, P95 and P99 answers, in that order.</param>
    public static IReadOnlyDictionary<ResourceKey, StatCounts> Merge(
        WorkloadKind kind, string namespaceLabel, string nameLabel, StatWindow window,
        IReadOnlyList<PromSample> counts, IReadOnlyList<IReadOnlyList<PromSample>> quantiles)
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

        var latencies = quantiles.Select(answer => Latencies(answer, kind, namespaceLabel, nameLabel)).ToArray();
        var rows = new Dictionary<ResourceKey, StatCounts>(tallies.Count);
        foreach (var (key, tally) in tallies)
        {
            // A row whose counters did not move in the window had no traffic: it is left out, and shown as "-".
            if (tally.Successes + tally.Failures <= 0)
            {
                continue;
            }

            rows[key] = new StatCounts(tally.Successes, tally.Failures, tally.Tls, window.TotalSeconds,
                Lookup(latencies, 0, key), Lookup(latencies, 1, key), Lookup(latencies, 2, key));
        }

        return rows;
    }

    private static Dictionary<ResourceKey, double> Latencies(
        IReadOnlyList<PromSample> answer, WorkloadKind kind, string namespaceLabel, string nameLabel)
    {
        var latencies = new Dictionary<ResourceKey, double>();
        foreach (var sample in answer)
        {
            // NaN (no observations) arrives as null; +Inf (the quantile is in the +Inf bucket, beyond the
            // largest bound) has no number to show either.
            if (Key(sample, kind, namespaceLabel, nameLabel) is { } key && sample.Value is { } ms && double.IsFinite(ms))
            {
                latencies[key] = ms;
            }
        }

        return latencies;
    }

    private static double? Lookup(Dictionary<ResourceKey, double>[] latencies, int index, ResourceKey key) =>
        index < latencies.Length && latencies[index].TryGetValue(key, out var ms) ? ms : null;

    /// <summary>The row of a series; null for a series without the row's labels (e.g. a pod of no deployment).</summary>
    private static ResourceKey? Key(PromSample sample, WorkloadKind kind, string namespaceLabel, string nameLabel)
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
