using Dashboard.Metrics;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

public sealed partial class ResourceCharts
{
    private Timeline _timeline = Timeline.Empty;
    private string? _error;

    [Inject] private MetricsService Metrics { get; set; } = null!;

    [Parameter, EditorRequired] public ResourceKey Resource { get; set; }
    [Parameter] public StatWindow Window { get; set; }

    protected override object DataKey => (Resource, Window);

    // A new point comes once per step: refreshing faster would fetch the same points again.
    protected override TimeSpan Interval
    {
        get
        {
            var step = PromQl.StepFor(Window, Settings.Prometheus.ScrapeInterval);
            return step > Settings.RefreshInterval ? step : Settings.RefreshInterval;
        }
    }

    protected override async Task LoadAsync(object key, CancellationToken cancellationToken)
    {
        var (resource, window) = ((ResourceKey, StatWindow))key;
        try
        {
            _timeline = await Metrics.GetTimelineAsync(resource, window, Time.GetUtcNow(), Settings.Prometheus.ScrapeInterval, cancellationToken);
            _error = null;
        }
        catch (PrometheusException ex)
        {
            _error = $"{ex.Message.TrimEnd('.')}. The charts show the last points they had.";
        }
    }
}
