using System.Globalization;
using Dashboard.Investigation;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

/// <summary>
/// "Spikes in the last 15m": a resource's diagnosis (<see cref="IInvestigator"/>) as a sentence with its evidence beside
/// it: the episodes and what each is attributed to, the pods that deviate from their siblings, where the P95 goes, and a
/// chart of the P99 lines the causes were read from with the episodes shaded.
/// </summary>
public sealed partial class SpikesPanel
{
    private Diagnosis? _charted;
    private Timeline _timeline = Timeline.Empty;
    private IReadOnlyList<ChartBand> _bands = [];

    [Inject] private IInvestigator Investigator { get; set; } = null!;
    [Inject] private IServiceProvider Services { get; set; } = null!;

    [Parameter, EditorRequired] public ResourceKey Resource { get; set; }
    /// <summary>How far back to look; the dashboard's <c>Dashboard:Investigation:Lookback</c> when null.</summary>
    [Parameter] public StatWindow? Lookback { get; set; }
    /// <summary>The end of the lookback; now when null.</summary>
    [Parameter] public DateTimeOffset? At { get; set; }
    /// <summary>Whether to link to the page of this investigation (not on that page itself).</summary>
    [Parameter] public bool LinkToInvestigation { get; set; } = true;

    // Tap is optional: without it (a test's services) no paths are sampled.
    protected override SpikesViewModel CreateModel() =>
        new(Investigator, Services.GetService(typeof(Tap.ITapService)) as Tap.ITapService, Settings, Time, Visibility, Host);

    protected override void Apply(SpikesViewModel model) =>
        (model.Resource, model.Lookback, model.At) = (Resource, Lookback ?? Settings.InvestigationLookback, At);

    private string Title => At is { } at
        ? $"Spikes in the {Model.Lookback} to {Clock(at)} UTC"
        : $"Spikes in the last {Model.Lookback}";

    /// <summary>This investigation's own page, its query in the URL (relative to the base href).</summary>
    private string InvestigationHref => InvestigatePath(Resource, Model.Lookback, At);

    /// <summary>The <c>/investigate</c> page of <paramref name="resource"/>, relative to the base href.</summary>
    public static string InvestigatePath(ResourceKey resource, StatWindow lookback, DateTimeOffset? at)
    {
        var query = $"namespace={Uri.EscapeDataString(resource.Namespace)}&resource={Uri.EscapeDataString(resource.KindName)}&lookback={lookback}";
        return $"investigate?{query}{(at is { } end ? $"&at={Uri.EscapeDataString(TimeText.Format(end))}" : "")}";
    }

    protected override void OnModelChanged()
    {
        if (Model.Diagnosis is not { } diagnosis || ReferenceEquals(diagnosis, _charted))
        {
            return;
        }

        // One timeline per diagnosis: the chart redraws only when a new one comes.
        _charted = diagnosis;
        var latency = diagnosis.Series.Where(s => s.Metric == SpikeMetric.P99).ToList();
        var times = latency.FirstOrDefault()?.Points.Select(p => p.Time).ToList() ?? [];
        _timeline = new Timeline([.. times.Select(t => new TimelinePoint(t, null, null, null, null, null))], diagnosis.Step)
        {
            Callers = [.. latency.Select(s => new CallerLine(s.Label, [.. s.Points.Select(p => p.Value)]))],
        };
        _bands = [.. diagnosis.Episodes.Select(e => new ChartBand(e.Start, e.End, EpisodeAttribution.Name(e.Metric)))];
    }

    private static string Clock(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private string Ago(DateTimeOffset time) => $"{StatFormat.Age(Time.GetUtcNow() - time)} ago";

    private static string Duration(Episode episode)
    {
        var seconds = (int)Math.Round((episode.End - episode.Start).TotalSeconds);
        return seconds < 120 ? $"{seconds}s" : $"{seconds / 60}m {seconds % 60}s";
    }

    private static string Value(SpikeMetric metric, double value) => EpisodeAttribution.Format(metric, value);

    private static string OutlierValue(PodOutlier outlier, double value) => outlier.Metric == OutlierMetric.SuccessRate
        ? StatFormat.SuccessRate(value)
        : StatFormat.Latency(value);

    /// <summary>Where a cause's name leads: the page of the caller, pod or downstream it names; null for the unmeshed clients and paths.</summary>
    private string? LinkOf(Cause cause) => cause.Kind switch
    {
        CauseKind.Pod => new ResourceKey(WorkloadKind.Pod, Resource.Namespace, cause.Name).PagePath,
        CauseKind.Caller or CauseKind.Downstream when Investigation.Investigator.TryParseName(cause.Name, Resource.Namespace, out var key) => key.PagePath,
        _ => null,
    };

    // The contract's names (caller, pod, downstream, path), but the resource's own time reads as "itself" beside its name.
    private static string KindText(CauseKind kind) => kind == CauseKind.Self ? "itself" : DiagnosisJson.KindName(kind);
}
