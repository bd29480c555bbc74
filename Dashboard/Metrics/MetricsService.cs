using Dashboard.Contracts.Metrics;
using Dashboard.Model;

namespace Dashboard.Metrics;

/// <summary>
/// The numbers behind the stats tables. Each call costs exactly two queries (counts and latency bucket
/// rates, from which every percentile is computed), sent concurrently through the shared
/// <see cref="QueryCache"/>, whatever the number of rows.
/// Rows without traffic in the window are absent; the table shows "-" for them.
/// </summary>
public sealed class MetricsService
{
    /// <summary>Queries per table: counts and latency buckets.</summary>
    public const int QueriesPerTable = 2;

    private readonly PrometheusClient _prometheus;
    private readonly QueryCache _cache;
    private readonly RecordingRules? _rules;
    private long _queriesRequested;

    /// <param name="rules">
    /// Which recording rules Prometheus has: tables over <see cref="PromQl.RecordedWindow"/> read
    /// their kind's <see cref="PromQl.RecordedLatencyBucketsRule"/> when it is healthy. Null: always the raw series.
    /// </param>
    public MetricsService(PrometheusClient prometheus, QueryCache cache, RecordingRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(prometheus);
        ArgumentNullException.ThrowIfNull(cache);
        _prometheus = prometheus;
        _cache = cache;
        _rules = rules;
    }

    /// <summary>
    /// Queries asked of the cache so far (answered from it or sent). Queries that reached Prometheus are
    /// <see cref="PrometheusClient.QueriesSent"/>; the difference is what the cache saved.
    /// </summary>
    public long QueriesRequested => Interlocked.Read(ref _queriesRequested);

    /// <summary>How long an answer is shared between viewers (<see cref="QueryCache.Lifetime"/>, the refresh interval).</summary>
    public TimeSpan AnswerLifetime => _cache.Lifetime;

    /// <summary>One row per resource of <paramref name="kind"/> that had inbound traffic in the window.</summary>
    /// <param name="namespace">Only this namespace; all namespaces when null or empty.</param>
    public Task<IReadOnlyDictionary<ResourceKey, StatCounts>> GetStatsAsync(
        WorkloadKind kind, string? @namespace, StatWindow window, CancellationToken cancellationToken) =>
        GetStatsAsync(kind, @namespace, window, at: null, cancellationToken);

    /// <inheritdoc cref="GetStatsAsync(WorkloadKind, string?, StatWindow, CancellationToken)"/>
    /// <param name="at">The end of the window; Prometheus' "now" when null. The CLI's <c>stat --at</c>.</param>
    public async Task<IReadOnlyDictionary<ResourceKey, StatCounts>> GetStatsAsync(
        WorkloadKind kind, string? @namespace, StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var selector = string.IsNullOrEmpty(@namespace)
            ? PromSelector.Empty
            : PromSelector.Empty.With(LabelNames.Namespace, @namespace);
        var (latencyQuery, shape) = await LatencyQueryAsync(kind, selector, window, at, cancellationToken).ConfigureAwait(false);
        return await RunAsync(PromQl.Counts(kind, selector, window), latencyQuery, shape,
            kind, LabelNames.Namespace, kind.PromLabel(), window, at, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How many proxies Prometheus scrapes in <paramref name="namespace"/> (every namespace when null): zero
    /// explains a table of meshed resources without numbers better than "no traffic".
    /// </summary>
    public async Task<int> GetScrapedProxyCountAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var selector = string.IsNullOrEmpty(@namespace)
            ? PromSelector.Empty
            : PromSelector.Empty.With(LabelNames.Namespace, @namespace);
        var answer = await QueryAsync(PromQl.ScrapedProxies(selector), at: null, cancellationToken).ConfigureAwait(false);
        return answer is [{ Value: { } count }] ? (int)count : 0;
    }

    /// <summary>
    /// One row per neighbour of <paramref name="resource"/> (of the same kind) that exchanged traffic with it
    /// in the window: its callers for <see cref="EdgeDirection.Inbound"/>, its destinations for
    /// <see cref="EdgeDirection.Outbound"/>, as the callers' outbound proxies measured it.
    /// </summary>
    public Task<IReadOnlyDictionary<ResourceKey, StatCounts>> GetEdgesAsync(
        ResourceKey resource, EdgeDirection direction, StatWindow window, CancellationToken cancellationToken) =>
        GetEdgesAsync(resource, direction, window, at: null, cancellationToken);

    /// <inheritdoc cref="GetEdgesAsync(ResourceKey, EdgeDirection, StatWindow, CancellationToken)"/>
    /// <param name="at">The end of the window; Prometheus' "now" when null.</param>
    public Task<IReadOnlyDictionary<ResourceKey, StatCounts>> GetEdgesAsync(
        ResourceKey resource, EdgeDirection direction, StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var kind = resource.Kind;
        var (namespaceLabel, nameLabel) = direction == EdgeDirection.Inbound
            ? (LabelNames.Namespace, kind.PromLabel())
            : (LabelNames.DstNamespace, kind.DstPromLabel());
        return RunAsync(
            PromQl.EdgeCounts(resource, direction, window),
            PromQl.EdgeLatencyBuckets(resource, direction, window), LatencyAnswer.Buckets,
            kind, namespaceLabel, nameLabel, window, at, cancellationToken);
    }

    /// <summary>
    /// What <paramref name="resource"/>'s unmeshed clients (requests without a client identity, <see cref="PromQl.UnmeshedInbound"/>)
    /// sent it in the window, as its inbound proxies counted them: two more queries; null when they sent nothing.
    /// </summary>
    /// <param name="at">The end of the window; Prometheus' "now" when null.</param>
    public async Task<StatCounts?> GetUnmeshedInboundAsync(ResourceKey resource, StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var kind = resource.Kind;
        var rows = await RunAsync(
            PromQl.UnmeshedInboundCounts(resource, window),
            PromQl.UnmeshedInboundLatencyBuckets(resource, window), LatencyAnswer.Buckets,
            kind, LabelNames.Namespace, kind.PromLabel(), window, at, cancellationToken).ConfigureAwait(false);
        return rows.Values.FirstOrDefault();
    }

    /// <summary>
    /// The stats of <paramref name="resource"/>'s inbound requests per client identity (<c>client_id</c>), as its own
    /// proxies measured them (two queries): each key's <see cref="ResourceKey.Name"/> is the identity.
    /// </summary>
    public Task<IReadOnlyDictionary<ResourceKey, StatCounts>> GetInboundByIdentityAsync(
        ResourceKey resource, StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken) =>
        RunAsync(PromQl.IdentifiedInboundCounts(resource, window), PromQl.IdentifiedInboundLatencyBuckets(resource, window), LatencyAnswer.Buckets,
            WorkloadKind.Pod, LabelNames.ClientId, LabelNames.ClientId, window, at, cancellationToken);

    /// <summary>
    /// The TLS edges of <paramref name="resource"/> over the window (three queries, see <see cref="PromQl.TlsEdges"/>):
    /// who called it and whom it called, with the identities each side proved or why the requests went in plaintext.
    /// </summary>
    /// <param name="serviceAccountsOf">The ServiceAccounts a resource's pods run as, to tell which identity is whose.</param>
    public async Task<IReadOnlyList<TlsEdge>> GetTlsEdgesAsync(
        ResourceKey resource, StatWindow window, Func<ResourceKey, IReadOnlyCollection<string>> serviceAccountsOf, CancellationToken cancellationToken)
    {
        var outgoing = QueryAsync(PromQl.TlsEdges(resource, TlsEdgeQuery.Outgoing, window), at: null, cancellationToken);
        var incoming = QueryAsync(PromQl.TlsEdges(resource, TlsEdgeQuery.Incoming, window), at: null, cancellationToken);
        var seen = QueryAsync(PromQl.TlsEdges(resource, TlsEdgeQuery.Seen, window), at: null, cancellationToken);
        await Task.WhenAll(outgoing, incoming, seen).ConfigureAwait(false);
        return TlsEdges.Assemble(resource, await outgoing.ConfigureAwait(false), await incoming.ConfigureAwait(false),
            await seen.ConfigureAwait(false), serviceAccountsOf);
    }

    /// <summary>
    /// The charts of <paramref name="resource"/> over the last <paramref name="window"/>: four range queries (response
    /// rates by classification, latency bucket rates, and for the "by caller" chart the callers' outbound bucket rates by
    /// caller and the unmeshed clients' inbound ones), shared through the cache by every viewer of the same chart.
    /// </summary>
    public async Task<Timeline> GetTimelineAsync(
        ResourceKey resource, StatWindow window, DateTimeOffset now, TimeSpan scrapeInterval, CancellationToken cancellationToken)
    {
        var range = PromQl.ChartRange(window, now, scrapeInterval);
        var rateWindow = PromQl.ChartRateWindow(range.Step, scrapeInterval);
        var rates = GetSeriesAsync(PromQl.ChartResponseRates(resource, rateWindow), range, cancellationToken);
        var buckets = GetSeriesAsync(PromQl.ChartLatencyBuckets(resource, rateWindow), range, cancellationToken);
        var callers = GetSeriesAsync(PromQl.EdgeLatencyBuckets(resource, EdgeDirection.Inbound, rateWindow), range, cancellationToken);
        var unmeshed = GetSeriesAsync(PromQl.UnmeshedLatencyBuckets(resource, rateWindow), range, cancellationToken);
        await Task.WhenAll(rates, buckets, callers, unmeshed).ConfigureAwait(false);
        return TimelineMerge.Merge(range, await rates.ConfigureAwait(false), await buckets.ConfigureAwait(false)) with
        {
            Callers = TimelineMerge.Callers(range, resource, await callers.ConfigureAwait(false), await unmeshed.ConfigureAwait(false)),
        };
    }

    /// <summary>
    /// A chart's series: <paramref name="promql"/> (one of <see cref="PromQl"/>'s expressions) evaluated over
    /// <paramref name="range"/>, shared through the cache like the tables' queries (see <see cref="PromQl.ChartRange"/>).
    /// </summary>
    public Task<IReadOnlyList<PromSeries>> GetSeriesAsync(string promql, QueryRange range, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queriesRequested);
        return _cache.GetOrAddAsync(
            QueryCache.RangeKey(promql, range),
            ct => _prometheus.QueryRangeAsync(promql, range.Start, range.End, range.Step, ct),
            cancellationToken);
    }

    /// <summary>
    /// The instant answer of <paramref name="promql"/> (one of <see cref="PromQl"/>'s expressions) at <paramref name="at"/>
    /// (Prometheus' "now" when null), shared through the cache like the tables' queries.
    /// </summary>
    public Task<IReadOnlyList<PromSample>> GetSamplesAsync(string promql, DateTimeOffset? at, CancellationToken cancellationToken) =>
        QueryAsync(promql, at, cancellationToken);

    /// <summary>
    /// A value built from query answers (such as the service graph), made at most once per refresh for every viewer who
    /// asks for the same <paramref name="key"/>, as the answers themselves are.
    /// </summary>
    public Task<T> SharedAsync<T>(string key, Func<CancellationToken, Task<T>> build, CancellationToken cancellationToken) =>
        _cache.GetOrAddAsync(key, build, cancellationToken);

    /// <summary>
    /// A table's latency query: over <see cref="PromQl.RecordedWindow"/>, the recorded pod percentiles or the kind's
    /// recorded bucket rates when Prometheus evaluates them; else (and for a window ending in the past, which the rules
    /// may not have been recording) the raw histogram.
    /// </summary>
    private async Task<(string Query, LatencyAnswer Shape)> LatencyQueryAsync(
        WorkloadKind kind, PromSelector selector, StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        if (at is null && window == PromQl.RecordedWindow && _rules is not null)
        {
            if (kind == WorkloadKind.Pod && await _rules.IsHealthyAsync(PromQl.RecordedPodQuantilesRule, cancellationToken).ConfigureAwait(false))
            {
                return (PromQl.RecordedPodQuantiles(selector), LatencyAnswer.Quantiles);
            }

            if (await _rules.IsHealthyAsync(PromQl.RecordedLatencyBucketsRule(kind), cancellationToken).ConfigureAwait(false))
            {
                return (PromQl.RecordedLatencyBuckets(kind, selector), LatencyAnswer.Buckets);
            }
        }

        return (PromQl.LatencyBuckets(kind, selector, window), LatencyAnswer.Buckets);
    }

    private async Task<IReadOnlyDictionary<ResourceKey, StatCounts>> RunAsync(
        string countsQuery, string latencyQuery, LatencyAnswer latency, WorkloadKind kind, string namespaceLabel, string nameLabel,
        StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var counts = QueryAsync(countsQuery, at, cancellationToken);
        var latencies = QueryAsync(latencyQuery, at, cancellationToken);
        await Task.WhenAll(counts, latencies).ConfigureAwait(false);

        return StatRows.Merge(kind, namespaceLabel, nameLabel, window,
            await counts.ConfigureAwait(false), await latencies.ConfigureAwait(false), latency);
    }

    private Task<IReadOnlyList<PromSample>> QueryAsync(string promql, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queriesRequested);
        var key = at is { } time ? QueryCache.InstantKey(promql, time) : promql;
        return _cache.GetOrAddAsync(key, ct => _prometheus.QueryAsync(promql, at, ct), cancellationToken);
    }
}
