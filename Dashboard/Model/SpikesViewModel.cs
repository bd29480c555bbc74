using Dashboard.Configuration;
using Dashboard.Contracts.Metrics;
using Dashboard.Investigation;
using Dashboard.Metrics;
using Dashboard.Services;
using Dashboard.Tap;

namespace Dashboard.Model;

/// <summary>
/// A resource's diagnosis over a lookback, for its spike panel: refreshed once per step of the investigation's range
/// queries (a new point comes no faster), or loaded once when the lookback ends at a fixed time. While the panel is
/// live in a visible tab and tap can work, a tap of the resource (<see cref="MaxRps"/>) samples its inbound requests,
/// so that episodes during the sampling are attributed to paths too.
/// </summary>
public sealed class SpikesViewModel : LiveViewModel
{
    /// <summary>The sampling tap's budget: enough requests per route for a P95, little next to the page's live calls.</summary>
    public const double MaxRps = 20;

    private readonly IInvestigator _investigator;
    private readonly ITapService? _tap;
    private readonly PageVisibility _visibility;
    private readonly PathSamples _samples = new();
    private CancellationTokenSource? _sampling;
    private Task _sampler = Task.CompletedTask;

    /// <param name="tap">Samples paths; none without it.</param>
    public SpikesViewModel(IInvestigator investigator, ITapService? tap, DashboardSettings settings, TimeProvider time, PageVisibility visibility, ViewHost host)
        : base(settings, time, visibility, host)
    {
        ArgumentNullException.ThrowIfNull(investigator);
        _investigator = investigator;
        _tap = tap;
        _visibility = visibility;
    }

    public ResourceKey Resource { get; set; }

    public StatWindow Lookback { get; set; } = DashboardSettings.DefaultInvestigationLookback;

    /// <summary>The end of the lookback; now (and refreshed) when null.</summary>
    public DateTimeOffset? At { get; set; }

    /// <summary>The diagnosis loaded last; null before the first load.</summary>
    public Diagnosis? Diagnosis { get; private set; }

    /// <summary>Why paths are not sampled (tap off, nothing to tap), or null while they are.</summary>
    public string? PathsUnavailable { get; private set; } = "Paths come from a tap of the resource while this page is open.";

    protected override object Key => (Resource, Lookback, At);

    // A fixed lookback does not change: refresh as seldom as the loop allows (a reload on show still comes).
    protected override TimeSpan Interval => At is null ? OncePerStep(Lookback) : TimeSpan.FromHours(1);

    public override async Task InitializeAsync(bool interactive)
    {
        await base.InitializeAsync(interactive);
        if (At is not null)
        {
            PathsUnavailable = "No paths: a tap sees requests as they happen, not a lookback that ended in the past.";
        }
        else if (interactive)
        {
            _visibility.Changed += OnVisibilityChanged;
            StartSampling();
        }
    }

    protected override async Task LoadAsync(object key, CancellationToken cancellationToken)
    {
        var (resource, lookback, at) = ((ResourceKey, StatWindow, DateTimeOffset?))key;
        Diagnosis = await _investigator.InvestigateAsync(resource, lookback, at, at is null ? _samples.Snapshot() : null, cancellationToken);
    }

    protected override string Describe(PrometheusException failure) => $"{base.Describe(failure).TrimEnd('.')}. The diagnosis shown is the last one made.";

    private void StartSampling()
    {
        if (_sampling is not null || !_visibility.IsVisible)
        {
            return;
        }

        if (_tap is null || _tap.Availability.Disabled is { } disabled)
        {
            PathsUnavailable = "No paths: tap is off" + (_tap?.Availability.Disabled is { } why ? $" ({why.TrimEnd('.')})." : ".");
            return;
        }

        if (!TapResource.IsName(Resource.Namespace) || !TapResource.IsName(Resource.Name))
        {
            return;
        }

        var query = new TapQuery
        {
            Namespace = Resource.Namespace,
            Resource = Resource.Kind == WorkloadKind.Namespace ? null : new TapResource(Resource.Kind, Resource.Name),
            MaxRps = MaxRps,
            ExtractHeaders = false,
        };
        TapSession session;
        try
        {
            session = _tap.Start(query);
        }
        catch (TapQueryException ex)
        {
            PathsUnavailable = $"No paths: {ex.Message.TrimEnd('.')}.";
            return;
        }

        PathsUnavailable = null;
        _sampling = new CancellationTokenSource();
        var token = _sampling.Token;
        // Off the circuit's dispatcher: folding events is no rendering.
        _sampler = Task.Run(() => SampleAsync(session, token), CancellationToken.None);
    }

    private async Task SampleAsync(TapSession session, CancellationToken cancellationToken)
    {
        await using (session)
        {
            var folder = new TapRowFolder();
            try
            {
                await foreach (var batch in session.ReadBatchesAsync(cancellationToken: cancellationToken))
                {
                    foreach (var tapped in batch)
                    {
                        if (folder.Fold(tapped) is { IsComplete: true, LatencyMs: { } ms } row && row.Direction == LabelNames.Values.Inbound)
                        {
                            _samples.Add(new PathSample(row.StartedAt, row.Route, ms, row.IsSuccess == false));
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped: the tab was hidden or the panel went away.
            }
        }
    }

    private async Task StopSamplingAsync()
    {
        if (_sampling is not { } sampling)
        {
            return;
        }

        _sampling = null;
        await sampling.CancelAsync();
        await _sampler;
        sampling.Dispose();
    }

    private void OnVisibilityChanged(bool visible) => _ = Host.Dispatch(async () =>
    {
        if (visible)
        {
            StartSampling();
        }
        else
        {
            await StopSamplingAsync();
        }
    });

    protected override void Unsubscribe()
    {
        _visibility.Changed -= OnVisibilityChanged;
        // The sampler ends its tap and itself on cancellation; nothing waits on it any more.
        _sampling?.Cancel();
    }
}
