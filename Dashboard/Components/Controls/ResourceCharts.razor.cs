using Dashboard.Configuration;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

public sealed partial class ResourceCharts : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Timeline _timeline = Timeline.Empty;
    private (ResourceKey, StatWindow)? _loaded;
    private string? _error;
    private Task? _loop;

    [Inject] private MetricsService Metrics { get; set; } = null!;
    [Inject] private DashboardSettings Settings { get; set; } = null!;
    [Inject] private PageVisibility Visibility { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter, EditorRequired] public ResourceKey Resource { get; set; }
    [Parameter] public StatWindow Window { get; set; }

    protected override void OnInitialized()
    {
        // Charts are drawn in the browser: the prerendered page has only their frames.
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
            // A new point comes once per step: refreshing faster would fetch the same points again.
            var step = PromQl.StepFor(Window, Settings.Prometheus.ScrapeInterval);
            var interval = step > Settings.RefreshInterval ? step : Settings.RefreshInterval;
            await RefreshLoop.RunAsync(interval, Time, Visibility, refreshFirst: true, RefreshAsync, cancellationToken);
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
            _timeline = await Metrics.GetTimelineAsync(key.Resource, key.Window, Time.GetUtcNow(), Settings.Prometheus.ScrapeInterval, cancellationToken);
            (_loaded, _error) = (key, null);
        }
        catch (PrometheusException ex)
        {
            _error = $"{ex.Message.TrimEnd('.')}. The charts show the last points they had.";
        }

        await InvokeAsync(StateHasChanged);
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
