using Dashboard.Kubernetes;
using Dashboard.Model;
using Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

/// <summary>A live stat table: the page's parameters into a <see cref="StatTableViewModel"/>, its rows onto the screen.</summary>
public sealed partial class StatTablePanel
{
    private StatTable? _announced;

    [Inject] private StatTableService Tables { get; set; } = null!;
    [Inject] private IKubernetesInventory Inventory { get; set; } = null!;

    /// <summary>The kind of the rows (for <see cref="TableRelation.Members"/>; a relation decides its own).</summary>
    [Parameter] public WorkloadKind Kind { get; set; }
    /// <summary>Null for every namespace.</summary>
    [Parameter] public string? Namespace { get; set; }
    [Parameter] public StatWindow Window { get; set; }
    /// <summary>The window each number is shown beside; null: none.</summary>
    [Parameter] public CompareWindow? Compare { get; set; }
    [Parameter] public string? Filter { get; set; }
    [Parameter] public string? Sort { get; set; }
    [Parameter] public bool Descending { get; set; }
    [Parameter] public EventCallback<string> OnSort { get; set; }
    [Parameter] public string? Title { get; set; }
    /// <summary>Told of every table loaded (for a page's header: "no traffic").</summary>
    [Parameter] public EventCallback<StatTable> OnLoaded { get; set; }
    /// <summary>Which rows: <see cref="TableRelation.Members"/> (of <see cref="Kind"/> in <see cref="Namespace"/>) or a relation of <see cref="Of"/>.</summary>
    [Parameter] public TableRelation Relation { get; set; }
    [Parameter] public ResourceKey? Of { get; set; }

    // Relative to <base href>, so it works under a path base too.
    private string ExportHref(string format) => $"{Export.ExportEndpoints.Path.TrimStart('/')}.{format}?{Export.ExportEndpoints.Query(Model.Scope, Model.Window)}";

    private string? GrafanaUrl => Grafana.GrafanaLinks.BaseOf(Settings);

    protected override StatTableViewModel CreateModel() => new(Tables, Inventory, Settings, Time, Visibility, Host);

    protected override void Apply(StatTableViewModel model)
    {
        model.Scope = Relation == TableRelation.Members || Of is not { } of ? TableScope.Members(Kind, Namespace) : TableScope.Related(of, Relation);
        model.Window = Window;
        model.Compare = Compare;
        model.Filter = Filter;
        model.Sort = Sort;
        model.Descending = Descending;
    }

    protected override void OnModelChanged()
    {
        if (Model.Table is { } table && !ReferenceEquals(table, _announced))
        {
            _announced = table;
            _ = OnLoaded.InvokeAsync(table);
        }
    }
}
