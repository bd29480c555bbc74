using Dashboard.Configuration;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

public sealed partial class EdgesPanel : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<TlsEdge>? _edges;
    private (ResourceKey, StatWindow)? _loaded;
    private string? _error;
    private Task? _loop;

    [Inject] private MetricsService Metrics { get; set; } = null!;
    [Inject] private IKubernetesInventory Inventory { get; set; } = null!;
    [Inject] private DashboardSettings Settings { get; set; } = null!;
    [Inject] private PageVisibility Visibility { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter, EditorRequired] public ResourceKey Resource { get; set; }
    [Parameter] public StatWindow Window { get; set; }

    protected override void OnInitialized()
    {
        // Edges come with the interactive circuit: the prerendered page shows "Loading…" in their place.
        if (RendererInfo.IsInteractive)
        {
            _loop = LoopAsync(_stop.Token);
        }
    }

    protected override Task OnParametersSetAsync() =>
        _loop is not null && _loaded is not null && _loaded != (Resource, Window) ? RefreshAsync(_stop.Token) : Task.CompletedTask;

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshLoop.RunAsync(Settings.RefreshInterval, Time, Visibility, refreshFirst: true, RefreshAsync, cancellationToken);
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var key = (Resource, Window);
        try
        {
            _edges = await Metrics.GetTlsEdgesAsync(key.Resource, key.Window, ServiceAccountsOf, cancellationToken);
            (_loaded, _error) = (key, null);
        }
        catch (PrometheusException ex)
        {
            _error = $"{ex.Message.TrimEnd('.')}. The edges shown are the last ones loaded.";
        }

        await InvokeAsync(StateHasChanged);
    }

    /// <summary>The ServiceAccounts the pods of <paramref name="resource"/> run as now.</summary>
    private IReadOnlyCollection<string> ServiceAccountsOf(ResourceKey resource)
    {
        var inventory = Inventory.Current;
        IEnumerable<PodInfo> pods = resource.Kind == WorkloadKind.Pod
            ? [.. inventory.GetPod(resource.Namespace, resource.Name) is { } pod ? [pod] : Array.Empty<PodInfo>()]
            : inventory.PodsOf(new WorkloadRef(resource.Kind.DisplayName(), resource.Namespace, resource.Name));
        return pods.Select(p => p.ServiceAccount).Distinct(StringComparer.Ordinal).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }
}
