using System.Collections.Concurrent;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Services;

/// <summary>
/// Builds a stat table: the rows come from the Kubernetes inventory (so unmeshed and idle resources show,
/// with <c>-</c>), the numbers from Prometheus through the shared query cache (a constant two queries per table).
/// The last table of each scope is kept for <see cref="RecentLimit"/>, so a page opened where another viewer
/// (or the same one, a moment ago) has looked shows numbers in its first render instead of after a round of queries.
/// </summary>
public sealed class StatTableService(IKubernetesInventory inventory, MetricsService metrics, TimeProvider time)
{
    /// <summary>How old a table may be and still be shown first, while the fresh one loads.</summary>
    public static readonly TimeSpan RecentLimit = TimeSpan.FromSeconds(30);

    /// <summary>Scopes kept; a 1,000-row table is about 200 KB.</summary>
    private const int RecentCapacity = 32;

    private readonly ConcurrentDictionary<(WorkloadKind, string?, StatWindow), StatTable> _recent = new();

    /// <exception cref="PrometheusException">Prometheus could not answer; the caller keeps its last good table.</exception>
    public async Task<StatTable> LoadAsync(WorkloadKind kind, string? @namespace, StatWindow window, CancellationToken cancellationToken)
    {
        var stats = await metrics.GetStatsAsync(kind, @namespace, window, cancellationToken).ConfigureAwait(false);
        var rows = Rows(inventory.Current, kind, @namespace)
            .Select(r => r with { Stats = stats.GetValueOrDefault(r.Key) })
            .ToList();
        var reason = EmptyReason(rows, kind, @namespace, window);
        if (reason is not null && rows.Any(r => r.IsMeshed)
            && await metrics.GetScrapedProxyCountAsync(@namespace, cancellationToken).ConfigureAwait(false) == 0)
        {
            var where = @namespace is null ? "" : $" in namespace {@namespace}";
            reason = $"Prometheus scrapes no proxy{where}: the meshed pods' admin ports are not among its targets. Check its scrape configuration: it must scrape every meshed pod's proxy admin port (4191, /metrics).";
        }

        var table = new StatTable(kind, @namespace, window, rows, time.GetUtcNow()) { EmptyReason = reason };
        Remember(table);
        return table;
    }

    /// <summary>The last table loaded for this scope by any viewer, if younger than <see cref="RecentLimit"/>.</summary>
    public StatTable? Recent(WorkloadKind kind, string? @namespace, StatWindow window) =>
        _recent.TryGetValue((kind, @namespace, window), out var table) && time.GetUtcNow() - table.LoadedAt <= RecentLimit ? table : null;

    /// <summary>The resources of a kind, from the inventory alone (what a table shows while Prometheus is away).</summary>
    public static IEnumerable<StatTableRow> Rows(InventorySnapshot snapshot, WorkloadKind kind, string? @namespace) => kind switch
    {
        WorkloadKind.Namespace => snapshot.Namespaces
            .Select(n => new StatTableRow(ResourceKey.ForNamespace(n.Name), n.MeshedPods, n.RunningPods, null)),
        WorkloadKind.Pod => (@namespace is null ? snapshot.Pods.AsEnumerable() : snapshot.PodsIn(@namespace))
            .Select(p => new StatTableRow(new ResourceKey(kind, p.Namespace, p.Name), p.Meshed && p.IsRunning ? 1 : 0, p.IsRunning ? 1 : 0, null)),
        _ => snapshot.WorkloadsOf(kind.DisplayName(), @namespace)
            .Select(w => new StatTableRow(new ResourceKey(kind, w.Ref.Namespace, w.Ref.Name), w.MeshedPods, w.RunningPods, null)),
    };

    private void Remember(StatTable table)
    {
        _recent.AddOrUpdate((table.Kind, table.Namespace, table.Window), table, (_, old) => old.LoadedAt > table.LoadedAt ? old : table);
        if (_recent.Count > RecentCapacity)
        {
            foreach (var stale in _recent.OrderBy(e => e.Value.LoadedAt).Take(_recent.Count - RecentCapacity))
            {
                _recent.TryRemove(stale);
            }
        }
    }

    private static string? EmptyReason(List<StatTableRow> rows, WorkloadKind kind, string? @namespace, StatWindow window)
    {
        var plural = kind.UrlSegment();
        var where = @namespace is null ? "" : $" in namespace {@namespace}";
        if (rows.Count == 0)
        {
            return $"No {plural}{where}.";
        }

        if (rows.Any(r => r.Stats is not null))
        {
            return null;
        }

        if (!rows.Any(r => r.IsMeshed))
        {
            var which = rows.Count == 1 ? $"The {kind.DisplayName().ToLowerInvariant()} {rows[0].Name}{where} has no" : $"None of the {rows.Count} {plural}{where} has a";
            return $"{which} meshed pod: add the proxy with `dashboard inject` to see its traffic.";
        }

        return $"No traffic{where} in the last {window}: the meshed {plural} received no requests, or Prometheus has not scraped their proxies yet.";
    }
}
