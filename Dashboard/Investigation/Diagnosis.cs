using Dashboard.Model;

namespace Dashboard.Investigation;

/// <summary>
/// What an investigation of one resource over a lookback found: the episodes where its latency or failure rate left
/// its own baseline, with their causes; its pods that deviate from their siblings; and where its time goes (the
/// latency of each outbound edge beside its own). Written by <c>diagnose -o json</c> (<c>DiagnosisJson</c>), a
/// contract: an empty list means nothing was found, never a guess.
/// </summary>
/// <param name="Resource">The resource investigated (not a namespace).</param>
/// <param name="Lookback">How far back the investigation looked.</param>
/// <param name="From">The start of the lookback (aligned to <paramref name="Step"/>).</param>
/// <param name="To">The end of the lookback (aligned to <paramref name="Step"/>).</param>
/// <param name="Step">The range queries' step: the resolution of episode starts and ends.</param>
/// <param name="Summary">One sentence that answers "why is it slow?", or says that nothing left the baseline.</param>
public sealed record Diagnosis(
    ResourceKey Resource,
    StatWindow Lookback,
    DateTimeOffset From,
    DateTimeOffset To,
    TimeSpan Step,
    string Summary,
    IReadOnlyList<Episode> Episodes,
    IReadOnlyList<PodOutlier> Outliers,
    IReadOnlyList<DownstreamShare> Breakdown)
{
    /// <summary>The series the evidence was read from, for charts beside the sentence; not part of the JSON contract.</summary>
    public IReadOnlyList<EvidenceSeries> Series { get; init; } = [];

    /// <summary>How many tapped requests inside the lookback paths were judged from (0: no tap, no path causes); not part of the JSON contract.</summary>
    public int PathSampleCount { get; init; }
}

/// <summary>
/// An interval where <paramref name="Metric"/> left the resource's baseline: from the start of its first
/// deviating step to the end of its last.
/// </summary>
/// <param name="Baseline">The metric's median over the lookback (ms for latencies, 0..1 for the failure rate).</param>
/// <param name="Peak">The episode's highest value, in the same unit.</param>
/// <param name="RecurrenceSeconds">The period at which episodes of this metric recur; null when they do not (fewer than
/// two, or no regular spacing).</param>
/// <param name="Causes">What the episode is attributed to, the strongest first; empty when nothing stood out.</param>
public sealed record Episode(
    DateTimeOffset Start,
    DateTimeOffset End,
    SpikeMetric Metric,
    double Baseline,
    double Peak,
    double? RecurrenceSeconds,
    IReadOnlyList<Cause> Causes);

/// <summary>What an episode is measured on. JSON: <c>p99</c>, <c>p95</c>, <c>failureRate</c>.</summary>
public enum SpikeMetric
{
    P99,
    P95,
    FailureRate,
}

/// <summary>One cause of an episode, with the evidence in words (the numbers that make it one).</summary>
/// <param name="Name"><c>deployment/test-1</c>, <c>unmeshed clients</c>, a pod's name, <c>deployment/pricing</c>, a path,
/// or the resource itself for <see cref="CauseKind.Self"/>.</param>
public sealed record Cause(CauseKind Kind, string Name, string Evidence)
{
    /// <summary>The name of the caller row of requests without a meshed caller.</summary>
    public const string UnmeshedClients = "unmeshed clients";
}

/// <summary>JSON: <c>caller</c>, <c>pod</c>, <c>downstream</c>, <c>path</c>, <c>self</c>.</summary>
public enum CauseKind
{
    /// <summary>A meshed caller (by workload) or the unmeshed clients: the rise is in their requests only.</summary>
    Caller,
    /// <summary>One pod rose and its siblings did not.</summary>
    Pod,
    /// <summary>A destination of the resource rose at the same time: the latency is inherited.</summary>
    Downstream,
    /// <summary>The requests of one path, from tap samples.</summary>
    Path,
    /// <summary>No caller, pod or downstream accounts for it: the time is spent in the resource itself.</summary>
    Self,
}

/// <summary>A pod whose <paramref name="Metric"/> deviates from its replicas' (the same robust test as episodes).</summary>
public sealed record PodOutlier(string Pod, OutlierMetric Metric, double Value, double SiblingsMedian);

/// <summary>JSON: <c>p50</c>, <c>p95</c>, <c>p99</c>, <c>successRate</c>.</summary>
public enum OutlierMetric
{
    P50,
    P95,
    P99,
    SuccessRate,
}

/// <summary>One outbound edge's latency over the whole lookback beside the resource's own.</summary>
/// <param name="P95Ms">The edge's P95 as the resource's proxies measured it; null without data.</param>
/// <param name="ShareOfP95">The edge's P95 over the resource's own P95, at most 1; null when either is unknown.</param>
public sealed record DownstreamShare(ResourceKey Downstream, double? P95Ms, double? ShareOfP95);

/// <summary>A series behind the evidence: one metric of the resource or of one of its callers, pods or downstreams.</summary>
/// <param name="Label">What it is, as a legend writes it: <c>test-2 P99</c>, <c>unmeshed clients P99</c>.</param>
/// <param name="Points">One value per step; null where there was no traffic.</param>
public sealed record EvidenceSeries(string Label, SpikeMetric Metric, IReadOnlyList<(DateTimeOffset Time, double? Value)> Points);

/// <summary>Runs investigations; the dashboard's answers are shared between viewers like the tables'.</summary>
public interface IInvestigator
{
    /// <summary>Investigates <paramref name="resource"/> over the lookback ending at <paramref name="at"/> (now when null).</summary>
    /// <exception cref="Metrics.PrometheusException">Prometheus could not answer.</exception>
    Task<Diagnosis> InvestigateAsync(ResourceKey resource, StatWindow lookback, DateTimeOffset? at, CancellationToken cancellationToken);

    /// <summary>
    /// Investigates as <see cref="InvestigateAsync(ResourceKey, StatWindow, DateTimeOffset?, CancellationToken)"/> does, and
    /// attributes episodes to paths from <paramref name="paths"/>, the requests a tap of the resource saw (none: no path
    /// causes). An investigator that cannot use them ignores them.
    /// </summary>
    Task<Diagnosis> InvestigateAsync(
        ResourceKey resource, StatWindow lookback, DateTimeOffset? at, IReadOnlyList<PathSample>? paths, CancellationToken cancellationToken) =>
        InvestigateAsync(resource, lookback, at, cancellationToken);

    /// <summary>
    /// The rows of a table (resources of <paramref name="kind"/> in <paramref name="namespace"/>, every namespace when null)
    /// that had an episode in the lookback ending now, with the number of episodes: the tables' badges. A constant number of
    /// queries whatever the number of rows.
    /// </summary>
    Task<IReadOnlyDictionary<ResourceKey, int>> EpisodesByRowAsync(WorkloadKind kind, string? @namespace, StatWindow lookback, CancellationToken cancellationToken);
}
