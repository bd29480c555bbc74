using System.Globalization;
using Dashboard.Model;

namespace Dashboard.Investigation;

/// <summary>
/// What an episode is attributed to. Each group (a caller, a pod, a downstream) is measured over the episode's points
/// together and over the points outside every episode of the metric together; it rose when the first is above the
/// second by the thresholds' factor and absolute amount (the requests of many points are pooled, so a group with little
/// traffic per point is still judged; pooled values have no per-point spread, so the sigma test does not apply).
/// Callers are causes when some rose and not all, or when the one caller there is rose (the slow requests were all its:
/// who sent them is the question a caller answers); pods when a minority rose; downstreams whenever one rose (the
/// resource inherits the latency); the resource itself when none of those accounts for it.
/// </summary>
public static class EpisodeAttribution
{
    /// <summary>The causes of <paramref name="episode"/>, the largest rise first, and how each caller fared.</summary>
    /// <param name="resourceName">The resource as causes name it, e.g. <c>deployment/front</c>.</param>
    /// <param name="outside">The points outside every episode of the episode's metric: each group's baseline.</param>
    public static EpisodeCauses Attribute(
        Episode episode, string resourceName, IReadOnlyList<DateTimeOffset> times, IReadOnlyCollection<DateTimeOffset> outside,
        AttributionGroups groups, InvestigationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(episode);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(outside);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(thresholds);
        var during = times.Where(episode.Contains).ToList();
        var metric = episode.Metric;
        var deviation = metric == SpikeMetric.FailureRate ? thresholds.FailureRate : thresholds.Latency;
        var callers = Compare(groups.Callers, metric, during, outside, deviation, thresholds.MinRequests);
        var pods = Compare(groups.Pods, metric, during, outside, deviation, thresholds.MinRequests);
        var downstreams = metric == SpikeMetric.FailureRate
            ? []
            : Compare(groups.Downstreams, metric, during, outside, deviation, thresholds.MinRequests);

        var causes = new List<(Cause Cause, double Rise)>();
        var risenCallers = callers.Where(c => c.Rose).ToList();
        if (risenCallers.Count > 0 && risenCallers.Count < callers.Count)
        {
            var stayed = string.Join(", ", callers.Where(c => !c.Rose).Select(c => $"{c.Name} stayed at {Format(metric, c.During)}"));
            causes.AddRange(risenCallers.Select(c => (new Cause(CauseKind.Caller, c.Name, $"{Rise(c, metric)}; {stayed}"), c.Rise)));
        }
        else if (callers is [{ Rose: true } only])
        {
            causes.Add((new Cause(CauseKind.Caller, only.Name, $"{Rise(only, metric)}; the only caller"), only.Rise));
        }

        var risenPods = pods.Where(p => p.Rose).ToList();
        if (risenPods.Count > 0 && risenPods.Count <= pods.Count - risenPods.Count)
        {
            var siblings = RobustStats.Median(pods.Where(p => !p.Rose).Select(p => (double?)p.During));
            causes.AddRange(risenPods.Select(p => (new Cause(CauseKind.Pod, p.Name,
                $"{Rise(p, metric)}; its siblings stayed near {Format(metric, siblings)}"), p.Rise)));
        }

        causes.AddRange(downstreams.Where(d => d.Rose).Select(d => (new Cause(CauseKind.Downstream, d.Name,
            $"{Rise(d, metric)}, as {resourceName} measured its calls"), d.Rise)));

        if (causes.Count == 0)
        {
            var why = risenCallers.Count > 1 && risenCallers.Count == callers.Count
                ? $"every caller rose together ({string.Join(", ", risenCallers.Select(c => $"{c.Name} {Format(metric, c.During)}"))})"
                : "no caller, pod or downstream rose alone";
            causes.Add((new Cause(CauseKind.Self, resourceName,
                $"{Name(metric)} {Format(metric, episode.Peak)} at its peak vs {Format(metric, episode.Baseline)} baseline; {why}"), 0));
        }

        return new EpisodeCauses([.. causes.OrderByDescending(c => c.Rise).Select(c => c.Cause)], callers);
    }

    /// <summary>Each group measured during and outside the episode; only groups with enough requests in both.</summary>
    public static IReadOnlyList<GroupChange> Compare(
        IReadOnlyDictionary<string, StepTraffic> groups, SpikeMetric metric, IReadOnlyList<DateTimeOffset> during,
        IReadOnlyCollection<DateTimeOffset> outside, DeviationThresholds deviation, double minRequests)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var changes = new List<GroupChange>();
        foreach (var (name, traffic) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (now, nowRequests) = traffic.Measure(metric, during);
            var (before, beforeRequests) = traffic.Measure(metric, outside);
            if (now is not { } value || before is not { } baseline || nowRequests < minRequests || beforeRequests < minRequests)
            {
                continue;
            }

            var rose = new RobustBaseline(baseline, 0, 1).IsHigh(value, deviation);
            changes.Add(new GroupChange(name, value, baseline, rose));
        }

        return changes;
    }

    /// <summary>The metric's name in sentences: <c>P99</c>, <c>P95</c>, <c>failure rate</c>.</summary>
    public static string Name(SpikeMetric metric) => metric switch
    {
        SpikeMetric.P99 => "P99",
        SpikeMetric.P95 => "P95",
        _ => "failure rate",
    };

    /// <summary>A value of the metric as the tables print it: <c>262ms</c>, or a failure rate as a percentage.</summary>
    public static string Format(SpikeMetric metric, double? value) => metric == SpikeMetric.FailureRate
        ? value is { } rate ? string.Create(CultureInfo.InvariantCulture, $"{rate * 100:0.#}%") : StatFormat.NoData
        : StatFormat.Latency(value);

    private static string Rise(GroupChange change, SpikeMetric metric) =>
        $"{change.Name}: {Name(metric)} {Format(metric, change.During)} during the episode vs {Format(metric, change.Baseline)} baseline";
}

/// <summary>The groups an episode may be attributed to, each by the name causes give it.</summary>
public sealed record AttributionGroups(
    IReadOnlyDictionary<string, StepTraffic> Callers,
    IReadOnlyDictionary<string, StepTraffic> Pods,
    IReadOnlyDictionary<string, StepTraffic> Downstreams);

/// <summary>One group's metric during an episode and outside every episode, and whether it rose.</summary>
public sealed record GroupChange(string Name, double During, double Baseline, bool Rose)
{
    /// <summary>How much it rose, to order causes.</summary>
    public double Rise => During - Baseline;
}

/// <summary>An episode's causes, and its callers' changes (for a summary that says who stayed at their baseline).</summary>
public sealed record EpisodeCauses(IReadOnlyList<Cause> Causes, IReadOnlyList<GroupChange> Callers);
