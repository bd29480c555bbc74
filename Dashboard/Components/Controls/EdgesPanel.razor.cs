using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

public sealed partial class EdgesPanel
{
    [Inject] private MetricsService Metrics { get; set; } = null!;
    [Inject] private IKubernetesInventory Inventory { get; set; } = null!;

    [Parameter, EditorRequired] public ResourceKey Resource { get; set; }
    [Parameter] public StatWindow Window { get; set; }

    protected override EdgesViewModel CreateModel() => new(Metrics, Inventory, Settings, Time, Visibility, Host);

    protected override void Apply(EdgesViewModel model) => (model.Resource, model.Window) = (Resource, Window);
}
