using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

public sealed partial class EdgesPanel
{
    private IReadOnlyList<TlsEdge>? _edges;
    private string? _error;

    [Inject] private MetricsService Metrics { get; set; } = null!;
    [Inject] private IKubernetesInventory Inventory { get; set; } = null!;

    [Parameter, EditorRequired] public ResourceKey Resource { get; set; }
    [Parameter] public StatWindow Window { get; set; }

    protected override object DataKey => (Resource, Window);

    protected override async Task LoadAsync(object key, CancellationToken cancellationToken)
    {
        var (resource, window) = ((ResourceKey, StatWindow))key;
        try
        {
            _edges = await Metrics.GetTlsEdgesAsync(resource, window, ServiceAccountsOf, cancellationToken);
            _error = null;
        }
        catch (PrometheusException ex)
        {
            _error = $"{ex.Message.TrimEnd('.')}. The edges shown are the last ones loaded.";
        }
    }

    /// <summary>The ServiceAccounts the pods of <paramref name="resource"/> run as now.</summary>
    private IReadOnlyCollection<string> ServiceAccountsOf(ResourceKey resource)
    {
        return Inventory.Current.PodsOf(resource).Select(p => p.ServiceAccount).Distinct(StringComparer.Ordinal).ToList();
    }
}
