using Dashboard.Graph;
using Dashboard.Kubernetes;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// The service graph: who calls whom, with RPS, success rate and P95 on each edge, the workloads in their namespaces'
/// boxes. Everything it shows is in the URL (<see cref="GraphUrlState"/>), so a link reproduces the view; the find and
/// hide boxes navigate too. A click on a node or an edge shows its numbers beside the graph.
/// </summary>
public sealed partial class GraphPage
{
    [Inject] private IGraphService Graphs { get; set; } = null!;
    [Inject] private IKubernetesInventory Inventory { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "namespace")] public string? NamespaceText { get; set; }
    [SupplyParameterFromQuery(Name = "window")] public string? WindowText { get; set; }
    [SupplyParameterFromQuery(Name = "pods")] public string? PodsText { get; set; }
    [SupplyParameterFromQuery(Name = "idle")] public string? IdleText { get; set; }
    [SupplyParameterFromQuery(Name = "labels")] public string? LabelsText { get; set; }
    [SupplyParameterFromQuery(Name = "find")] public string? FindText { get; set; }
    [SupplyParameterFromQuery(Name = "hide")] public string? HideText { get; set; }

    private GraphUrlState Url => Model.Url;

    /// <summary>The id of the node or edge whose numbers show beside the graph; null: none.</summary>
    private string? Selected { get; set; }

    /// <summary>The namespaces to choose from: the inventory's, and any the URL names that it does not know (yet).</summary>
    private IEnumerable<string> Namespaces =>
        Inventory.Current.NamespaceNames.Union(Url.Namespaces, StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>Why there is nothing to draw, once the graph is loaded; null when there is.</summary>
    private string? Empty => Model.Graph switch
    {
        null => null,
        { Edges.Count: 0 } graph when !(Url.Idle && graph.Nodes.Count > 0) => $"No traffic between meshed workloads in the last {Url.Window}",
        { Nodes.Count: > 0 } when Model.View.Nodes.Count == 0 => $"Every node is hidden by '{Url.HideText}'.",
        _ => null,
    };

    protected override GraphViewModel CreateModel() => new(Graphs, Settings, Time, Visibility, Host);

    protected override void Apply(GraphViewModel model) => model.Url = GraphUrlState.Parse(
        NamespaceText, WindowText, PodsText, IdleText, LabelsText, FindText, HideText, Settings.Prometheus.ScrapeInterval);

    private void Select(string id) => Selected = id;

    private void SetWindow(StatWindow window) => Navigate("window", window.ToString());

    private void SetLabel(EdgeLabels label, bool on)
    {
        var labels = on ? Url.Labels | label : Url.Labels & ~label;
        Navigate("labels", labels == EdgeLabels.All ? null : GraphUrlState.LabelsText(labels));
    }

    private IReadOnlyList<string> Toggled(string ns) => Url.Namespaces.Contains(ns) ? [.. Url.Namespaces.Where(n => n != ns)] : [.. Url.Namespaces, ns];

    private string NamespacesHref(IReadOnlyList<string> namespaces) =>
        Navigation.GetUriWithQueryParameter("namespace", namespaces.Count == 0 ? null : string.Join(',', namespaces));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private void Navigate(string name, string? value) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter(name, value), replace: true);
}
