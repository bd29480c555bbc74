using Dashboard.Contracts.Metrics;
using Dashboard.Model;

namespace Dashboard.Metrics;

/// <summary>
/// The numbers behind the stats tables. Each call costs exactly four queries (counts and three latency
/// quantiles), sent concurrently through the shared <see cref="QueryCache"/>, whatever the number of rows.
/// Rows without traffic in the window are absent; the table shows "-" for them.
/// </summary>
public sealed class MetricsService
{
    /// <summary>Queries per table: one counts query and one per quantile.</summary>
    public static readonly int QueriesPerTable = 1 + PromQl.Quantiles.Count;

    private readonly PrometheusClient _prometheus;
    private readonly QueryCache _cache;
    private long _queriesRequested;

    public MetricsService(PrometheusClient prometheus, QueryCache cache)
    {
        ArgumentNullException.ThrowIfNull(prometheus);
        ArgumentNullException.ThrowIfNull(cache);
        _prometheus = prometheus;
        _cache = cache;
    }

    /// <summary>
    /// Queries asked of the cache so far (answered from it or sent). Queries that reached Prometheus are
    /// <see cref="PrometheusClient.QueriesSent"/>; the difference is what the cache saved.
    /// </summary>
    public long QueriesRequested => Interlocked.Read(ref _queriesRequested);

    /// <summary>One row per resource of <paramref name="kind"/> that had inbound traffic in the window.</summary>
    /// <param name="namespace">Only this namespace; all namespaces when null or empty.</param>
    public Task<IReadOnlyDictionary<ResourceKey, StatCounts>> GetStatsAsync(
        WorkloadKind kind, string? @namespace, StatWindow window, CancellationToken cancellationToken) =>
        GetStatsAsync(kind, @namespace, window, at: null, cancellationToken);

    /// <inheritdoc cref="GetStatsAsync(WorkloadKind, string?, StatWindow, CancellationToken)"/>
    /// <param name="at">The end of the window; Prometheus' "now" when null. The CLI's <c>stat --at</c>.</param>
    public Task<IReadOnlyDictionary<ResourceKey, StatCounts>> GetStatsAsync(
        WorkloadKind kind, string? @namespace, StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var selector = string.IsNullOrEmpty(@namespace)
            ? LabelSelector.Empty
            : LabelSelector.Empty.With(LabelNames.Namespace, @namespace);
        return RunAsync(
            PromQl.Counts(kind, selector, window),
            [.. PromQl.Quantiles.Select(q => PromQl.Quantile(q, kind, selector, window))],
            kind, LabelNames.Namespace, kind.PromLabel(), window, at, cancellationToken);
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
            [.. PromQl.Quantiles.Select(q => PromQl.EdgeQuantile(q, resource, direction, window))],
            kind, namespaceLabel, nameLabel, window, at, cancellationToken);
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

    private async Task<IReadOnlyDictionary<ResourceKey, StatCounts>> RunAsync(
        string countsQuery, string[] quantileQueries, WorkloadKind kind, string namespaceLabel, string nameLabel,
        StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var counts = QueryAsync(countsQuery, at, cancellationToken);
        var quantiles = quantileQueries.Select(q => QueryAsync(q, at, cancellationToken)).ToArray();
        await Task.WhenAll([counts, .. quantiles]).ConfigureAwait(false);

        return StatRows.Merge(kind, namespaceLabel, nameLabel, window,
            await counts.ConfigureAwait(false), quantiles.Select(q => q.Result).ToArray());
    }

    private Task<IReadOnlyList<PromSample>> QueryAsync(string promql, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queriesRequested);
        var key = at is { } time ? QueryCache.InstantKey(promql, time) : promql;
        return _cache.GetOrAddAsync(key, ct => _prometheus.QueryAsync(promql, at, ct), cancellationToken);
    }
}
