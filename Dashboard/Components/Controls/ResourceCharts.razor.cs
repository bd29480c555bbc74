using Dashboard.Metrics;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

public sealed partial class ResourceCharts
{
    [Inject] private MetricsService Metrics { get; set; } = null!;

    [Parameter, EditorRequired] public ResourceKey Resource { get; set; }
    [Parameter] public StatWindow Window { get; set; }
    /// <summary>The three charts one under another, without the latency by caller: for a side panel.</summary>
    [Parameter] public bool Compact { get; set; }

    protected override TimelineViewModel CreateModel() => new(Metrics, Settings, Time, Visibility, Host);

    protected override void Apply(TimelineViewModel model) => (model.Resource, model.Window) = (Resource, Window);
}
