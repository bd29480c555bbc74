using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Services;

/// <summary>
/// Builds a stat table: the rows come from the Kubernetes inventory (so unmeshed and idle resources show,
/// with <c>-</c>), the numbers from Prometheus through the shared query cache (a constant 4 queries per table).
/// </summary>
public sealed class StatTableService(IKubernetesInventory inventory, MetricsService metrics, TimeProvider time)
{
    /// <exception cref="PrometheusException">Prometheus could not answer; the caller keeps its last good table.</exception>
    public Task<StatTable> LoadAsync(WorkloadKind kind, string? @namespace, StatWindow window, CancellationToken cancellationToken) =>
        LoadAsync(kind, @namespace, window, at: null, cancellationToken);

    /// <inheritdoc cref="LoadAsync(WorkloadKind, string?, StatWindow, CancellationToken)"/>
    /// <param name="at">The end of the window; Prometheus' "now" when null (<c>stat --at</c>).</param>
    public async Task<StatTable> LoadAsync(WorkloadKind kind, string? @namespace, StatWindow window, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var stats = await metrics.GetStatsAsync(kind, @namespace, window, at, cancellationToken).ConfigureAwait(false);
        var rows = Rows(inventory.Current, kind, @namespace)
            .Select(r => r with { Stats = stats.GetValueOrDefault(r.Key) })
            .ToList();
        return new StatTable(kind, @namespace, window, rows, time.GetUtcNow()) { EmptyReason = EmptyReason(rows, kind, @namespace, window) };
    }

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

    /// <summary>Why <paramref name="rows"/> show no numbers, in words a user can act on; null when some have numbers.</summary>
    public static string? EmptyReason(IReadOnlyList<StatTableRow> rows, WorkloadKind kind, string? @namespace, StatWindow window)
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
