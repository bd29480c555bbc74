using Dashboard.Configuration;
using Dashboard.Metrics;
using Dashboard.Services;

namespace Dashboard.Model;

/// <summary>A resource's success rate, RPS and latency over the window, for its charts; refreshed once per chart step.</summary>
public sealed class TimelineViewModel(MetricsService metrics, DashboardSettings settings, TimeProvider time, PageVisibility visibility, ViewHost host)
    : LiveViewModel(settings, time, visibility, host)
{
    public ResourceKey Resource { get; set; }
    public StatWindow Window { get; set; }

    /// <summary>The points loaded last; empty before the first load.</summary>
    public Timeline Timeline { get; private set; } = Timeline.Empty;

    protected override object Key => (Resource, Window);

    protected override TimeSpan Interval => OncePerStep(Window);

    protected override async Task LoadAsync(object key, CancellationToken cancellationToken)
    {
        var (resource, window) = ((ResourceKey, StatWindow))key;
        Timeline = await metrics.GetTimelineAsync(resource, window, Time.GetUtcNow(), Settings.Prometheus.ScrapeInterval, cancellationToken);
    }

    protected override string Describe(PrometheusException failure) => $"{base.Describe(failure).TrimEnd('.')}. The charts show the last points they had.";
}
