using Dashboard.Configuration;
using Dashboard.Investigation;
using Dashboard.Metrics;
using Dashboard.Services;

namespace Dashboard.Model;

/// <summary>
/// A resource's diagnosis over a lookback, for its spike panel: refreshed once per step of the investigation's range
/// queries (a new point comes no faster), or loaded once when the lookback ends at a fixed time.
/// </summary>
public sealed class SpikesViewModel(IInvestigator investigator, DashboardSettings settings, TimeProvider time, PageVisibility visibility, ViewHost host)
    : LiveViewModel(settings, time, visibility, host)
{
    public ResourceKey Resource { get; set; }

    public StatWindow Lookback { get; set; } = DashboardSettings.DefaultInvestigationLookback;

    /// <summary>The end of the lookback; now (and refreshed) when null.</summary>
    public DateTimeOffset? At { get; set; }

    /// <summary>The diagnosis loaded last; null before the first load.</summary>
    public Diagnosis? Diagnosis { get; private set; }

    protected override object Key => (Resource, Lookback, At);

    protected override TimeSpan Interval
    {
        get
        {
            // A fixed lookback does not change: refresh as seldom as the loop allows (a reload on show still comes).
            if (At is not null)
            {
                return TimeSpan.FromHours(1);
            }

            var step = PromQl.StepFor(Lookback, Settings.Prometheus.ScrapeInterval);
            return step > Settings.RefreshInterval ? step : Settings.RefreshInterval;
        }
    }

    protected override async Task LoadAsync(object key, CancellationToken cancellationToken)
    {
        var (resource, lookback, at) = ((ResourceKey, StatWindow, DateTimeOffset?))key;
        Diagnosis = await investigator.InvestigateAsync(resource, lookback, at, cancellationToken);
    }

    protected override string Describe(PrometheusException failure) => $"{base.Describe(failure).TrimEnd('.')}. The diagnosis shown is the last one made.";
}
