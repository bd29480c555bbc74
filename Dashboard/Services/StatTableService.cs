using System.Collections.Concurrent;
using Dashboard.Configuration;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Utils;
using Dashboard.Investigation;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Services;

/// <summary>
/// Builds stat tables: the rows come from the Kubernetes inventory (so unmeshed and idle resources show, with
/// <c>-</c>) or, for callers and destinations, from the traffic itself; the numbers from Prometheus through the
/// shared query cache (a constant two queries per table). The last table of each scope is kept for
/// <see cref="RecentLimit"/>, so a page opened where another viewer (or the same one, a moment ago) has looked
/// shows numbers in its first render instead of after a round of queries.
/// </summary>
/// <param name="investigator">Marks the rows that had spike episodes (<see cref="StatTableRow.Spikes"/>) in the last
/// <see cref="DashboardSettings.InvestigationLookback"/> of <paramref name="settings"/>; none are marked without one.</param>
public sealed partial class StatTableService(
    IKubernetesInventory inventory, MetricsService metrics, TimeProvider time, ILogger<StatTableService>? logger = null,
    IInvestigator? investigator = null, DashboardSettings? settings = null)
{
    private readonly StatWindow _spikeLookback = settings?.InvestigationLookback ?? DashboardSettings.DefaultInvestigationLookback;

    /// <summary>How old a table may be and still be shown first, while the fresh one loads.</summary>
    public static readonly TimeSpan RecentLimit = TimeSpan.FromSeconds(30);

    /// <summary>Scopes kept; a 1,000-row table is about 200 KB.</summary>
    private const int RecentCapacity = 64;

    private readonly BoundedCache<(TableScope, StatWindow), StatTable> _recent = new(RecentCapacity);
    private readonly ConcurrentDictionary<(TableScope, StatWindow), Lazy<Task<StatTable>>> _building = new();

    /// <summary>Every resource of <paramref name="kind"/> in <paramref name="namespace"/> (every namespace when null).</summary>
    /// <exception cref="PrometheusException">Prometheus could not answer; the caller keeps its last good table.</exception>
    public Task<StatTable> LoadAsync(WorkloadKind kind, string? @namespace, StatWindow window, CancellationToken cancellationToken) =>
        LoadAsync(TableScope.Members(kind, @namespace), window, at: null, cancellationToken);

    /// <inheritdoc cref="LoadAsync(WorkloadKind, string?, StatWindow, CancellationToken)"/>
    /// <param name="at">The end of the window; Prometheus' "now" when null (<c>stat --at</c>).</param>
    public Task<StatTable> LoadAsync(WorkloadKind kind, string? @namespace, StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken) =>
        LoadAsync(TableScope.Members(kind, @namespace), window, at, cancellationToken);

    /// <exception cref="PrometheusException">Prometheus could not answer; the caller keeps its last good table.</exception>
    public Task<StatTable> LoadAsync(TableScope scope, StatWindow window, CancellationToken cancellationToken) =>
        LoadAsync(scope, window, at: null, cancellationToken);

    /// <inheritdoc cref="LoadAsync(TableScope, StatWindow, CancellationToken)"/>
    /// <param name="at">The end of the window; Prometheus' "now" when null. Tables of a past instant are not kept as recent.</param>
    /// <remarks>
    /// Viewers of the same table share one: a table built from answers the query cache would still hand out, over the
    /// same inventory, is returned as it is, and viewers asking while it is being built await that build. So eleven
    /// viewers of a 1,000-row table cost one merge per refresh interval and keep one copy of its rows, not eleven.
    /// </remarks>
    public Task<StatTable> LoadAsync(TableScope scope, StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        if (at is not null)
        {
            return BuildAsync(scope, window, at, cancellationToken);
        }

        var key = (scope, window);
        if (_recent.TryGetValue(key, out var recent) && time.GetUtcNow() - recent.LoadedAt < metrics.AnswerLifetime
            && recent.InventoryVersion == inventory.Current.Version)
        {
            return Task.FromResult(recent);
        }

        // Built without any one viewer's token: others may be waiting on it; each waiter's token ends only its wait.
        var build = _building.GetOrAdd(key, k => new Lazy<Task<StatTable>>(() => BuildSharedAsync(k)));
        return build.Value.WaitAsync(cancellationToken);
    }

    private async Task<StatTable> BuildSharedAsync((TableScope Scope, StatWindow Window) key)
    {
        try
        {
            await Task.Yield(); // out of GetOrAdd's factory first: the entry must exist while the table is built
            return await BuildAsync(key.Scope, key.Window, at: null, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _building.TryRemove(key, out _);
        }
    }

    private async Task<StatTable> BuildAsync(TableScope scope, StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        // The table is as of when its queries were asked: that is also when the query cache's answers start to age.
        var asked = time.GetUtcNow();
        var snapshot = inventory.Current;
        var episodes = at is null ? EpisodesAsync(scope, cancellationToken) : Task.FromResult(NoEpisodes);
        List<StatTableRow> rows;
        if (scope.Relation is TableRelation.Callers or TableRelation.Destinations)
        {
            var direction = scope.Relation == TableRelation.Callers ? EdgeDirection.Inbound : EdgeDirection.Outbound;
            var edges = metrics.GetEdgesAsync(scope.Of!.Value, direction, window, at, cancellationToken);
            // The callers' outbound proxies cannot count clients outside the mesh: the destination's inbound ones do.
            var unmeshed = direction == EdgeDirection.Inbound
                ? metrics.GetUnmeshedInboundAsync(scope.Of!.Value, window, at, cancellationToken)
                : Task.FromResult<StatCounts?>(null);
            // The destination's proxies also name each meshed caller by the identity it proved: the callers whose own
            // proxies Prometheus does not scrape are known only that way.
            var identified = direction == EdgeDirection.Inbound
                ? metrics.GetInboundByIdentityAsync(scope.Of!.Value, window, at, cancellationToken)
                : Task.FromResult<IReadOnlyDictionary<ResourceKey, StatCounts>>(new Dictionary<ResourceKey, StatCounts>());
            await Task.WhenAll(edges, unmeshed, identified).ConfigureAwait(false);
            rows = [.. (await edges.ConfigureAwait(false)).Select(e => InventoryRow(snapshot, e.Key) with { Stats = e.Value })];
            rows.AddRange(IdentifiedOnly(snapshot, scope.Of!.Value.Kind, rows, await identified.ConfigureAwait(false)));
            if (await unmeshed.ConfigureAwait(false) is { } clients)
            {
                rows.Add(StatTableRow.UnmeshedClients(scope.Of!.Value, clients));
            }
        }
        else
        {
            var stats = await metrics.GetStatsAsync(scope.Kind, scope.Namespace, window, at, cancellationToken).ConfigureAwait(false);
            rows = [.. Rows(snapshot, scope).Select(r => r with { Stats = stats.GetValueOrDefault(r.Key) })];
            if (scope.Kind == WorkloadKind.Pod)
            {
                rows = StatTableOutliers.Mark(rows, snapshot);
            }
        }

        if (await episodes.ConfigureAwait(false) is { Count: > 0 } spiked)
        {
            rows = [.. rows.Select(r => spiked.TryGetValue(r.Key, out var count) && !r.IsUnmeshedClients ? r with { Spikes = new(count, _spikeLookback) } : r)];
        }

        var reason = StatTableReasons.Explain(rows, scope, window);
        if (reason is not null && rows.Any(r => r.IsMeshed) && scope.Relation is TableRelation.Members or TableRelation.Self or TableRelation.Pods
            && await metrics.GetScrapedProxyCountAsync(scope.Namespace, cancellationToken).ConfigureAwait(false) == 0)
        {
            reason = StatTableReasons.NotScraped(scope.Namespace);
        }

        var table = new StatTable(scope, window, rows, asked) { EmptyReason = reason, InventoryVersion = snapshot.Version };
        if (at is null)
        {
            Remember(table);
        }

        if (logger is not null)
        {
            LogLoaded(logger, scope, window, rows.Count, time.GetElapsedTime(started).TotalMilliseconds);
        }
        return table;
    }

    private static readonly IReadOnlyDictionary<ResourceKey, int> NoEpisodes = new Dictionary<ResourceKey, int>();

    /// <summary>
    /// The rows' spike episodes (the badges), asked beside the numbers; a failure leaves the rows unmarked, never the
    /// table unbuilt. Rows of several namespaces (callers, destinations, every namespace's) are asked of every namespace.
    /// </summary>
    private async Task<IReadOnlyDictionary<ResourceKey, int>> EpisodesAsync(TableScope scope, CancellationToken cancellationToken)
    {
        if (investigator is null || scope.Relation == TableRelation.Self)
        {
            return NoEpisodes;
        }

        var @namespace = scope.SpansNamespaces ? null : scope.Namespace;
        try
        {
            return await investigator.EpisodesByRowAsync(scope.Kind, @namespace, _spikeLookback, cancellationToken).ConfigureAwait(false);
        }
        catch (PrometheusException ex)
        {
            if (logger is not null)
            {
                LogNoBadges(logger, scope, ex.Message);
            }

            return NoEpisodes;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No spike badges on {Scope}: {Reason}")]
    private static partial void LogNoBadges(ILogger logger, TableScope scope, string reason);

    /// <summary>
    /// The table of <paramref name="scope"/> over the last <paramref name="window"/>, each row beside its numbers in the
    /// <paramref name="compare"/> window (<see cref="StatTableRow.Comparison"/>). The shown table is the shared one; the
    /// other window ends on a multiple of the refresh interval, so viewers refreshing together share its queries too.
    /// </summary>
    /// <param name="at">The end of the shown window; now when null.</param>
    public async Task<StatTable> LoadComparedAsync(TableScope scope, StatWindow window, DateTimeOffset? at, CompareWindow compare, CancellationToken cancellationToken)
    {
        var shown = await LoadAsync(scope, window, at, cancellationToken).ConfigureAwait(false);
        var end = compare.EndFor(at ?? shown.LoadedAt, window);
        if (compare.EndsAt is null)
        {
            var step = Math.Max(1, (long)metrics.AnswerLifetime.TotalSeconds);
            end = DateTimeOffset.FromUnixTimeSeconds(end.ToUnixTimeSeconds() / step * step);
        }

        var other = await BuildAsync(scope, window, end, cancellationToken).ConfigureAwait(false);
        return StatTableComparison.Attach(shown, other, end);
    }

    /// <summary>The last table loaded for this scope by any viewer, if younger than <see cref="RecentLimit"/>.</summary>
    public StatTable? Recent(TableScope scope, StatWindow window) =>
        _recent.TryGetValue((scope, window), out var table) && time.GetUtcNow() - table.LoadedAt <= RecentLimit ? table : null;

    /// <inheritdoc cref="Recent(TableScope, StatWindow)"/>
    public StatTable? Recent(WorkloadKind kind, string? @namespace, StatWindow window) => Recent(TableScope.Members(kind, @namespace), window);

    /// <summary>The resources of a kind, from the inventory alone (what a table shows while Prometheus is away).</summary>
    public static IEnumerable<StatTableRow> Rows(InventorySnapshot snapshot, WorkloadKind kind, string? @namespace) =>
        Rows(snapshot, TableScope.Members(kind, @namespace));

    /// <summary>The rows of a scope the inventory knows; callers and destinations are known only from traffic.</summary>
    public static IEnumerable<StatTableRow> Rows(InventorySnapshot snapshot, TableScope scope) => scope.Relation switch
    {
        TableRelation.Self => [InventoryRow(snapshot, scope.Of!.Value)],
        TableRelation.Pods => snapshot.PodsOf(scope.Of!.Value).Select(PodRow),
        TableRelation.Callers or TableRelation.Destinations => [],
        _ => scope.Kind switch
        {
            WorkloadKind.Namespace => snapshot.Namespaces
                .Select(n => new StatTableRow(ResourceKey.ForNamespace(n.Name), n.MeshedPods, n.RunningPods, null)),
            WorkloadKind.Pod => (scope.Namespace is null ? snapshot.Pods.AsEnumerable() : snapshot.PodsIn(scope.Namespace)).Select(PodRow),
            _ => snapshot.WorkloadsOf(scope.Kind, scope.Namespace)
                .Select(w => new StatTableRow(new ResourceKey(scope.Kind, w.Ref.Namespace, w.Ref.Name), w.MeshedPods, w.RunningPods, null)),
        },
    };

    /// <summary>Why <paramref name="rows"/> of a kind show no numbers, in words a user can act on; null when some have numbers.</summary>
    public static string? EmptyReason(IReadOnlyList<StatTableRow> rows, WorkloadKind kind, string? @namespace, StatWindow window) =>
        StatTableReasons.Explain(rows, TableScope.Members(kind, @namespace), window);

    /// <summary>A resource's row as the inventory knows it; 0/0 pods when it does not (deleted, or not listed yet).</summary>
    public static StatTableRow InventoryRow(InventorySnapshot snapshot, ResourceKey key) => key.Kind switch
    {
        WorkloadKind.Namespace => snapshot.GetNamespace(key.Name) is { } n
            ? new StatTableRow(key, n.MeshedPods, n.RunningPods, null) : new StatTableRow(key, 0, 0, null),
        WorkloadKind.Pod => snapshot.GetPod(key.Namespace, key.Name) is { } p ? PodRow(p) : new StatTableRow(key, 0, 0, null),
        _ => snapshot.GetWorkload(key) is { } w
            ? new StatTableRow(key, w.MeshedPods, w.RunningPods, null) : new StatTableRow(key, 0, 0, null),
    };

    /// <summary>
    /// The callers the destination saw by identity that no row of their own outbound metrics accounts for: the
    /// workload of <paramref name="kind"/> whose pods run as that ServiceAccount when there is exactly one, else the
    /// identity itself (a row without a page).
    /// </summary>
    public static IEnumerable<StatTableRow> IdentifiedOnly(
        InventorySnapshot snapshot, WorkloadKind kind, IReadOnlyList<StatTableRow> callers, IReadOnlyDictionary<ResourceKey, StatCounts> byIdentity)
    {
        var accounted = callers.SelectMany(r => snapshot.PodsOf(r.Key)).Select(p => (p.Namespace, p.ServiceAccount)).ToHashSet();
        var known = callers.Select(r => r.Key).ToHashSet();
        foreach (var (key, stats) in byIdentity.OrderBy(i => i.Key.Name, StringComparer.Ordinal))
        {
            var identity = key.Name;
            if (!IdentityNames.TryParse(identity, out var account, out var @namespace, out _) || accounted.Contains((@namespace, account)))
            {
                continue;
            }

            List<ResourceKey> owners = kind == WorkloadKind.Namespace
                ? [ResourceKey.ForNamespace(@namespace)]
                : [.. snapshot.PodsIn(@namespace).Where(p => p.ServiceAccount == account)
                    .Select(p => kind == WorkloadKind.Pod ? new ResourceKey(WorkloadKind.Pod, p.Namespace, p.Name) : InventorySnapshot.OwnerOf(p))
                    .OfType<ResourceKey>().Where(o => o.Kind == kind).Distinct()];

            yield return owners is [var owner] && !known.Contains(owner)
                ? InventoryRow(snapshot, owner) with { Stats = stats, Identity = identity }
                : StatTableRow.IdentifiedCaller(kind, @namespace, identity, stats);
        }
    }

    private static StatTableRow PodRow(PodInfo p) =>
        new(new ResourceKey(WorkloadKind.Pod, p.Namespace, p.Name), p.Meshed && p.IsRunning ? 1 : 0, p.IsRunning ? 1 : 0, null);

    // bench/dashboard.sh reads these (Debug) to report refresh times.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded {Scope} over {Window}: {Rows} rows in {Milliseconds:F1} ms")]
    private static partial void LogLoaded(ILogger logger, TableScope scope, StatWindow window, int rows, double milliseconds);

    private void Remember(StatTable table)
    {
        // A slower load that finishes after a newer one does not replace it.
        _recent.AddOrUpdate((table.Scope, table.Window), table, static (held, offered) => held.LoadedAt > offered.LoadedAt ? held : offered);
    }
}
