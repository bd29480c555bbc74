using Dashboard.Configuration;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Services;

namespace Dashboard.Model;

/// <summary>
/// A resource's TLS edges over a window, refreshed like the stat tables: who called it and whom it called, the
/// identities each side proved, and whether the requests went over mTLS.
/// </summary>
public sealed class EdgesViewModel(
    MetricsService metrics, IKubernetesInventory inventory, DashboardSettings settings, TimeProvider time, PageVisibility visibility, ViewHost host)
    : LiveViewModel(settings, time, visibility, host)
{
    public ResourceKey Resource { get; set; }
    public StatWindow Window { get; set; }

    /// <summary>The edges loaded last; null before the first load.</summary>
    public IReadOnlyList<TlsEdge>? Edges { get; private set; }

    protected override object Key => (Resource, Window);

    protected override async Task LoadAsync(object key, CancellationToken cancellationToken)
    {
        var (resource, window) = ((ResourceKey, StatWindow))key;
        Edges = await metrics.GetTlsEdgesAsync(resource, window, ServiceAccountsOf, cancellationToken);
    }

    protected override string Describe(PrometheusException failure) => $"{base.Describe(failure).TrimEnd('.')}. The edges shown are the last ones loaded.";

    /// <summary>The ServiceAccounts the pods of <paramref name="resource"/> run as now: the identities its side of an edge can prove.</summary>
    public IReadOnlyCollection<string> ServiceAccountsOf(ResourceKey resource) =>
        [.. inventory.Current.PodsOf(resource).Select(p => p.ServiceAccount).Distinct(StringComparer.Ordinal)];
}
