using Dashboard.Contracts.Metrics;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Investigation;

/// <summary>
/// "Why is it slow?": the episodes where a resource's P99, P95 or failure rate left its own baseline over a lookback, each
/// attributed to callers, a pod, downstreams or the resource itself, its outlier pods, where its P95 goes, and one sentence.
/// An investigation costs <see cref="QueriesPerInvestigation"/> queries whatever the number of pods, callers and
/// downstreams: nine range queries (step <see cref="PromQl.StepFor"/>, each point a rate over
/// <see cref="PromQl.ChartRateWindow"/>, the range aligned as <see cref="PromQl.ChartRange"/> does so that viewers share
/// answers through the <see cref="QueryCache"/>) and the pods' stats over the lookback (two).
/// </summary>
public sealed class Investigator : IInvestigator
{
    /// <summary>
    /// The resource's latency buckets and response rates (the charts' queries), the same by pod, by meshed caller
    /// (<see cref="PromQl.EdgeLatencyBuckets"/>, <see cref="PromQl.EdgeCounts"/>), for unmeshed clients, the latency buckets
    /// by downstream: nine range queries; and <see cref="MetricsService.QueriesPerTable"/> for the pods' stats.
    /// </summary>
    public const int QueriesPerInvestigation = 9 + MetricsService.QueriesPerTable;

    /// <summary>What the tables' badges cost, whatever the number of rows: a P95 and a counts range query.</summary>
    public const int QueriesPerTable = 2;

    private const string Self = "";

    private readonly MetricsService _metrics;
    private readonly IKubernetesInventory? _inventory;
    private readonly TimeSpan _scrapeInterval;
    private readonly InvestigationThresholds _thresholds;
    private readonly TimeProvider _time;

    /// <param name="inventory">Which pods a resource has; without one, the pods Prometheus reports for it.</param>
    /// <param name="scrapeInterval">Prometheus' scrape interval: the finest step and a quarter of the shortest rate window.</param>
    public Investigator(MetricsService metrics, IKubernetesInventory? inventory, TimeSpan scrapeInterval, InvestigationThresholds thresholds, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(time);
        _metrics = metrics;
        _inventory = inventory;
        _scrapeInterval = scrapeInterval;
        _thresholds = thresholds;
        _time = time;
    }

    /// <inheritdoc/>
    public Task<Diagnosis> InvestigateAsync(ResourceKey resource, StatWindow lookback, DateTimeOffset? at, CancellationToken cancellationToken) =>
        InvestigateAsync(resource, lookback, at, paths: null, cancellationToken);

    /// <inheritdoc/>
    public async Task<Diagnosis> InvestigateAsync(
        ResourceKey resource, StatWindow lookback, DateTimeOffset? at, IReadOnlyList<PathSample>? paths, CancellationToken cancellationToken)
    {
        var range = PromQl.ChartRange(lookback, at ?? _time.GetUtcNow(), _scrapeInterval);
        var rateWindow = PromQl.ChartRateWindow(range.Step, _scrapeInterval);
        var seconds = rateWindow.TotalSeconds;
        var kind = resource.Kind;

        var selfBuckets = Series(PromQl.ChartLatencyBuckets(resource, rateWindow));
        var selfRates = Series(PromQl.ChartResponseRates(resource, rateWindow));
        var podBuckets = Series(PromQl.PodLatencyBuckets(resource, rateWindow));
        var podRates = Series(PromQl.PodResponseRates(resource, rateWindow));
        var callerBuckets = Series(PromQl.EdgeLatencyBuckets(resource, EdgeDirection.Inbound, rateWindow));
        var callerCounts = Series(PromQl.EdgeCounts(resource, EdgeDirection.Inbound, rateWindow));
        var unmeshedBuckets = Series(PromQl.UnmeshedLatencyBuckets(resource, rateWindow));
        var unmeshedRates = Series(PromQl.UnmeshedResponseRates(resource, rateWindow));
        var downstreamBuckets = Series(PromQl.EdgeLatencyBuckets(resource, EdgeDirection.Outbound, rateWindow));
        var podStats = _metrics.GetStatsAsync(WorkloadKind.Pod, resource.Namespace, lookback, range.End, cancellationToken);
        await Task.WhenAll(selfBuckets, selfRates, podBuckets, podRates, callerBuckets, callerCounts, unmeshedBuckets, unmeshedRates,
            downstreamBuckets, podStats).ConfigureAwait(false);

        var self = StepTraffic.Group(await selfBuckets.ConfigureAwait(false), await selfRates.ConfigureAwait(false), _ => Self, seconds, seconds)
            .GetValueOrDefault(Self) ?? new StepTraffic();
        var pods = StepTraffic.Group(await podBuckets.ConfigureAwait(false), await podRates.ConfigureAwait(false),
            l => l.GetValueOrDefault(LabelNames.Pod) is { Length: > 0 } pod ? pod : null, seconds, seconds);
        var callerKeys = new Dictionary<string, ResourceKey>(StringComparer.Ordinal);
        var callers = StepTraffic.Group(await callerBuckets.ConfigureAwait(false), await callerCounts.ConfigureAwait(false),
            l => Neighbour(l, resource, LabelNames.Namespace, kind.PromLabel(), callerKeys), seconds, 1);
        var unmeshed = StepTraffic.Group(await unmeshedBuckets.ConfigureAwait(false), await unmeshedRates.ConfigureAwait(false),
            _ => Cause.UnmeshedClients, seconds, seconds);
        foreach (var (name, traffic) in unmeshed)
        {
            callers[name] = traffic;
        }

        var downstreamKeys = new Dictionary<string, ResourceKey>(StringComparer.Ordinal);
        // A resource's calls to itself (a namespace's within it) are part of its own latency, not a downstream it inherits from.
        var downstreams = StepTraffic.Group(await downstreamBuckets.ConfigureAwait(false), null,
            l => Neighbour(l, resource, LabelNames.DstNamespace, kind.DstPromLabel(), downstreamKeys) is { } d && downstreamKeys[d] != resource ? d : null,
            seconds, 0);

        var times = Times(range);
        var sampled = paths?.Where(p => p.Time > range.Start && p.Time <= range.End).ToList() ?? [];
        var resourceName = NameOf(resource, resource.Namespace);
        var byMetric = Enum.GetValues<SpikeMetric>().ToDictionary(m => m, m => EpisodeDetection.Find(
            self.Points(m, times), m, range.Step, m == SpikeMetric.FailureRate ? _thresholds.FailureRate : _thresholds.Latency, _thresholds.MinRequests));
        var groups = new AttributionGroups(callers, pods, downstreams);
        var attributed = new List<(Episode Episode, EpisodeCauses Causes)>();
        foreach (var episode in EpisodeDetection.Report(byMetric[SpikeMetric.P99], byMetric[SpikeMetric.P95], byMetric[SpikeMetric.FailureRate]))
        {
            var outside = times.Where(t => !byMetric[episode.Metric].Any(e => e.Contains(t))).ToList();
            var causes = EpisodeAttribution.Attribute(episode, resourceName, times, outside, groups, _thresholds);
            if (sampled.Count > 0 && PathAttribution.Attribute(episode, byMetric[episode.Metric], sampled, _thresholds) is { Count: > 0 } routes)
            {
                // A path accounts for what was the resource's own time; other causes stand beside it.
                causes = causes with { Causes = [.. causes.Causes.Where(c => c.Kind != CauseKind.Self), .. routes] };
            }

            attributed.Add((episode with { Causes = causes.Causes }, causes));
        }

        var outliers = Outliers(resource, pods.Keys, await podStats.ConfigureAwait(false));
        var ownP95 = self.Measure(SpikeMetric.P95, times).Value;
        var breakdown = downstreams
            .Select(d => (Name: d.Key, P95: d.Value.Measure(SpikeMetric.P95, times).Value))
            .Select(d => new DownstreamShare(downstreamKeys[d.Name], d.P95, d.P95 is { } edge && ownP95 is { } own && own > 0 ? Math.Min(1, edge / own) : null))
            .OrderByDescending(d => d.ShareOfP95 ?? -1).ThenByDescending(d => d.P95Ms ?? -1).ThenBy(d => d.Downstream.ToString(), StringComparer.Ordinal)
            .ToList();

        var summary = DiagnosisSummary.Write(new SummaryFacts(resourceName, lookback, attributed, outliers, breakdown,
            downstreamKeys.ToDictionary(d => d.Value, d => d.Key), ownP95,
            RobustStats.Median(self.Points(SpikeMetric.P99, times).Where(p => p.Requests >= _thresholds.MinRequests).Select(p => p.Value)),
            self.Measure(SpikeMetric.FailureRate, times).Requests));
        return new Diagnosis(resource, lookback, range.Start, range.End, range.Step, summary,
            [.. attributed.Select(a => a.Episode)], outliers, breakdown)
        {
            Series = Evidence(self, callers, pods, downstreams, attributed.SelectMany(a => a.Episode.Causes), outliers, times, resourceName),
            PathSampleCount = sampled.Count,
        };

        Task<IReadOnlyList<PromSeries>> Series(string promql) => _metrics.GetSeriesAsync(promql, range, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<ResourceKey, int>> EpisodesByRowAsync(
        WorkloadKind kind, string? @namespace, StatWindow lookback, CancellationToken cancellationToken)
    {
        var range = PromQl.ChartRange(lookback, _time.GetUtcNow(), _scrapeInterval);
        var rateWindow = PromQl.ChartRateWindow(range.Step, _scrapeInterval);
        var selector = string.IsNullOrEmpty(@namespace) ? PromSelector.Empty : PromSelector.Empty.With(LabelNames.Namespace, @namespace);
        var p95 = _metrics.GetSeriesAsync(PromQl.Quantile(0.95, kind, selector, rateWindow), range, cancellationToken);
        var counts = _metrics.GetSeriesAsync(PromQl.Counts(kind, selector, rateWindow), range, cancellationToken);
        await Task.WhenAll(p95, counts).ConfigureAwait(false);
        return RowEpisodes.Count(kind, Times(range), range.Step, await p95.ConfigureAwait(false), await counts.ConfigureAwait(false), _thresholds);
    }

    /// <summary>How a cause or a breakdown names a neighbour: <c>deployment/batch</c>, or with its namespace when it is another's.</summary>
    public static string NameOf(ResourceKey resource, string fromNamespace) => resource.Kind switch
    {
        _ when resource.Kind == WorkloadKind.Namespace || resource.Namespace == fromNamespace => resource.KindName,
        _ => $"{resource.Namespace}/{resource.KindName}",
    };

    /// <summary>
    /// The resource <see cref="NameOf"/> wrote: <c>deployment/batch</c> (in <paramref name="fromNamespace"/>),
    /// <c>shop/deployment/batch</c>, or <c>namespace/shop</c>; any name of the kind (<c>deploy</c>, <c>deployments</c>).
    /// False for anything else (<c>unmeshed clients</c>, a path).
    /// </summary>
    public static bool TryParseName(string? text, string fromNamespace, out ResourceKey resource)
    {
        resource = default;
        var parts = text?.Split('/') ?? [];
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || p.Contains(' ', StringComparison.Ordinal))
            || !WorkloadKindExtensions.TryParseName(parts[^2], out var kind) || (kind == WorkloadKind.Namespace && parts.Length == 3))
        {
            return false;
        }

        resource = kind == WorkloadKind.Namespace
            ? ResourceKey.ForNamespace(parts[1])
            : new ResourceKey(kind, parts.Length == 3 ? parts[0] : fromNamespace, parts[^1]);
        return true;
    }

    private static string? Neighbour(
        IReadOnlyDictionary<string, string> labels, ResourceKey resource, string namespaceLabel, string nameLabel, Dictionary<string, ResourceKey> keys)
    {
        if (labels.GetValueOrDefault(namespaceLabel) is not { Length: > 0 } ns)
        {
            return null;
        }

        ResourceKey key;
        if (resource.Kind == WorkloadKind.Namespace)
        {
            key = ResourceKey.ForNamespace(ns);
        }
        else if (labels.GetValueOrDefault(nameLabel) is { Length: > 0 } name)
        {
            key = new ResourceKey(resource.Kind, ns, name);
        }
        else
        {
            return null;
        }

        var text = NameOf(key, resource.Namespace);
        keys[text] = key;
        return text;
    }

    private static List<DateTimeOffset> Times(QueryRange range)
    {
        var times = new List<DateTimeOffset>();
        for (var t = range.Start; t <= range.End; t += range.Step)
        {
            times.Add(t);
        }

        return times;
    }

    private IReadOnlyList<PodOutlier> Outliers(ResourceKey resource, IEnumerable<string> measured, IReadOnlyDictionary<ResourceKey, StatCounts> stats)
    {
        if (resource.Kind is WorkloadKind.Namespace or WorkloadKind.Pod)
        {
            return []; // a namespace's pods are no replicas of each other; a pod has no siblings of its own
        }

        var names = new HashSet<string>(measured, StringComparer.Ordinal);
        names.UnionWith(_inventory?.Current.PodsOf(resource).Select(p => p.Name) ?? []);
        var pods = names.ToDictionary(n => n, n => stats.GetValueOrDefault(new ResourceKey(WorkloadKind.Pod, resource.Namespace, n)), StringComparer.Ordinal);
        return SiblingOutliers.Find(pods, _thresholds);
    }

    private static List<EvidenceSeries> Evidence(
        StepTraffic self, Dictionary<string, StepTraffic> callers, Dictionary<string, StepTraffic> pods,
        Dictionary<string, StepTraffic> downstreams, IEnumerable<Cause> causes, IReadOnlyList<PodOutlier> outliers,
        IReadOnlyList<DateTimeOffset> times, string resourceName)
    {
        var series = Enum.GetValues<SpikeMetric>().Select(m => Of(resourceName, self, m)).ToList();
        series.AddRange(callers.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => Of(c.Key, c.Value, SpikeMetric.P99)));
        var namedPods = causes.Where(c => c.Kind == CauseKind.Pod).Select(c => c.Name).Concat(outliers.Select(o => o.Pod)).Distinct(StringComparer.Ordinal);
        series.AddRange(namedPods.Where(pods.ContainsKey).Order(StringComparer.Ordinal).Select(p => Of(p, pods[p], SpikeMetric.P99)));
        series.AddRange(downstreams.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => Of(d.Key, d.Value, SpikeMetric.P99)));
        return series;

        EvidenceSeries Of(string name, StepTraffic traffic, SpikeMetric metric) => new(
            $"{name} {EpisodeAttribution.Name(metric)}", metric, [.. traffic.Points(metric, times).Select(p => (p.Time, p.Value))]);
    }
}
