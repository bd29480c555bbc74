using System.Globalization;
using Dashboard.Model;

namespace Dashboard.Investigation;

/// <summary>
/// The one sentence of a diagnosis: what left the baseline, how often, and what the causes have in common; then the
/// outlier pod and where the P95 goes when they say something. Only what was measured, never a guess.
/// </summary>
public static class DiagnosisSummary
{
    /// <summary>A downstream whose P95 is at least this share of the resource's is worth a clause.</summary>
    public const double NotableShare = 0.5;

    public static string Write(SummaryFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var name = facts.ResourceName;
        if (facts.Requests <= 0)
        {
            return $"No requests to {name} in the last {facts.Lookback}.";
        }

        var clauses = new List<string>();
        var latency = facts.Episodes.Where(e => e.Episode.Metric != SpikeMetric.FailureRate).ToList();
        var failures = facts.Episodes.Where(e => e.Episode.Metric == SpikeMetric.FailureRate).ToList();
        if (latency.Count == 0 && failures.Count == 0)
        {
            clauses.Add(facts.P99Median is { } p99
                ? $"No latency or failure episode in the last {facts.Lookback}; P99 stayed near {StatFormat.Latency(p99)}"
                : $"No latency or failure episode in the last {facts.Lookback}");
        }

        if (latency.Count > 0)
        {
            clauses.Add(Rise(name, latency) + Causes(latency));
        }

        if (failures.Count > 0)
        {
            var rise = Rise(name, failures) + Causes(failures);
            clauses.Add(latency.Count > 0 ? rise.Replace($"{name}'s ", "its ", StringComparison.Ordinal) : rise);
        }

        var outlier = facts.Outliers.FirstOrDefault(o => o.Metric == OutlierMetric.P99) ?? (facts.Outliers.Count > 0 ? facts.Outliers[0] : null);
        if (outlier is not null)
        {
            clauses.Add(outlier.Metric == OutlierMetric.SuccessRate
                ? $"{outlier.Pod} is the failing pod: {StatFormat.SuccessRate(outlier.Value)} success vs {StatFormat.SuccessRate(outlier.SiblingsMedian)} for its siblings"
                : $"{outlier.Pod} is the slow pod: {outlier.Metric.ToString().ToUpperInvariant()} {StatFormat.Latency(outlier.Value)} vs {StatFormat.Latency(outlier.SiblingsMedian)} for its siblings");
        }

        if (facts.Breakdown.Count > 0 && facts.Breakdown[0] is { ShareOfP95: >= NotableShare, P95Ms: { } edge } top && facts.P95 is { } own)
        {
            var downstream = facts.DownstreamNames.GetValueOrDefault(top.Downstream) ?? top.Downstream.ToString();
            clauses.Add(string.Create(CultureInfo.InvariantCulture,
                $"most of {name}'s P95 ({StatFormat.Latency(own)}) is {downstream}'s ({StatFormat.Latency(edge)}, {top.ShareOfP95 * 100:0}%)"));
        }

        var sentence = string.Join("; ", clauses);
        // A resource's name keeps its case where it starts the sentence: deployment/front is what kubectl calls it.
        return (sentence.StartsWith(name, StringComparison.Ordinal) ? sentence : char.ToUpperInvariant(sentence[0]) + sentence[1..]) + ".";
    }

    // "front's P99 rose from 9ms to 262ms in 5 episodes, every 30s"
    private static string Rise(string name, List<(Episode Episode, EpisodeCauses Causes)> episodes)
    {
        var metric = episodes.GroupBy(e => e.Episode.Metric).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var ofMetric = episodes.Where(e => e.Episode.Metric == metric).Select(e => e.Episode).ToList();
        var count = ofMetric.Count == 1 ? "in 1 episode" : $"in {ofMetric.Count} episodes";
        var every = ofMetric[0].RecurrenceSeconds is { } period
            ? string.Create(CultureInfo.InvariantCulture, $", every {Math.Round(period):0}s")
            : "";
        var other = episodes.Count > ofMetric.Count ? $" (and {episodes.Count - ofMetric.Count} of {EpisodeAttribution.Name(episodes.First(e => e.Episode.Metric != metric).Episode.Metric)} alone)" : "";
        return $"{name}'s {EpisodeAttribution.Name(metric)} rose from {EpisodeAttribution.Format(metric, ofMetric[0].Baseline)} to " +
            $"{EpisodeAttribution.Format(metric, ofMetric.Max(e => e.Peak))} {count}{every}{other}";
    }

    private static string Causes(List<(Episode Episode, EpisodeCauses Causes)> episodes)
    {
        var sets = episodes.Select(e => string.Join("|", e.Episode.Causes.Select(c => $"{c.Kind}:{c.Name}").Order(StringComparer.Ordinal))).Distinct().Count();
        var first = episodes[0];
        var metric = first.Episode.Metric;
        if (sets > 1)
        {
            var counts = episodes.SelectMany(e => e.Episode.Causes).GroupBy(c => c.Name)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Count() == 1 ? $"{g.Key} (1 episode)" : $"{g.Key} ({g.Count()} episodes)");
            return $"; the causes differ: {string.Join(", ", counts)}";
        }

        // One clause per kind of cause, the kind of the largest rise first: a caller is never called a downstream.
        var slow = metric == SpikeMetric.FailureRate ? "failing" : "slow";
        return string.Concat(first.Episode.Causes.GroupBy(c => c.Kind).Select(kind =>
        {
            var causes = kind.ToList();
            var names = string.Join(" and ", causes.Select(c => c.Name));
            return kind.Key switch
            {
                CauseKind.Caller when first.Causes.Callers.Count == 1 => $"; the {slow} requests came from {names}, its only caller",
                CauseKind.Caller => $"; only {names} {(causes.Count == 1 && causes[0].Name != Cause.UnmeshedClients ? "was" : "were")} {slow}" + Stayed(episodes, metric),
                CauseKind.Pod => $"; only pod {names} {(causes.Count == 1 ? "was" : "were")} {slow}, not {(causes.Count == 1 ? "its" : "their")} siblings",
                CauseKind.Downstream => $"; inherited from {names}, whose {EpisodeAttribution.Name(metric)} rose at the same time",
                CauseKind.Path => $"; only requests to {names} were {slow} (from tap samples)",
                _ => "; no caller, pod or downstream accounts for it",
            };
        }));
    }

    // " (deployment/batch stayed at its 8ms baseline)": the callers that did not rise, with their baseline.
    private static string Stayed(List<(Episode Episode, EpisodeCauses Causes)> episodes, SpikeMetric metric)
    {
        var stayed = episodes[0].Causes.Callers.Where(c => !c.Rose).ToList();
        return stayed.Count == 0
            ? ""
            : $" ({string.Join(", ", stayed.Select(c => $"{c.Name} stayed at its {EpisodeAttribution.Format(metric, c.Baseline)} baseline"))})";
    }
}

/// <summary>What <see cref="DiagnosisSummary"/> writes a sentence from.</summary>
/// <param name="DownstreamNames">How causes name each downstream of the breakdown.</param>
/// <param name="P95">The resource's P95 over the lookback.</param>
/// <param name="P99Median">The median of the resource's P99 points: where it stayed.</param>
/// <param name="Requests">The resource's requests over the lookback (its points' together).</param>
public sealed record SummaryFacts(
    string ResourceName,
    StatWindow Lookback,
    IReadOnlyList<(Episode Episode, EpisodeCauses Causes)> Episodes,
    IReadOnlyList<PodOutlier> Outliers,
    IReadOnlyList<DownstreamShare> Breakdown,
    IReadOnlyDictionary<ResourceKey, string> DownstreamNames,
    double? P95,
    double? P99Median,
    double Requests);
