using Dashboard.Configuration;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

public sealed partial class StatTablePanel : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private StatTable? _table;
    private StatTable? _announced;
    private string? _error;
    private Task? _loop;
    private IDisposable? _inventorySubscription;
    private (TableScope, StatWindow) _loaded;

    [Inject] private StatTableService Tables { get; set; } = null!;
    [Inject] private IKubernetesInventory Inventory { get; set; } = null!;
    [Inject] private DashboardSettings Settings { get; set; } = null!;
    [Inject] private PageVisibility Visibility { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    /// <summary>The kind of the rows (for <see cref="TableRelation.Members"/>; a relation decides its own).</summary>
    [Parameter] public WorkloadKind Kind { get; set; }
    /// <summary>Null for every namespace.</summary>
    [Parameter] public string? Namespace { get; set; }
    [Parameter] public StatWindow Window { get; set; }
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

    private TableScope Scope => Relation == TableRelation.Members || Of is not { } of
        ? TableScope.Members(Kind, Namespace)
        : TableScope.Related(of, Relation);

    private string RowsName => Scope.Kind.UrlSegment();

    // Relative to <base href>, so it works under a path base too.
    private string ExportHref(string format) => $"{Export.ExportEndpoints.Path.TrimStart('/')}.{format}?{Export.ExportEndpoints.Query(Scope, Window)}";

    private string? GrafanaUrl => Grafana.GrafanaLinks.BaseOf(Settings);

    private List<StatTableRow> VisibleRows { get; set; } = [];

    private string EmptyText => !string.IsNullOrWhiteSpace(Filter) && AllRows().Any()
        ? $"No {RowsName} match '{Filter}'."
        : _table?.EmptyReason ?? (_error is null ? "Loading…" : $"No {RowsName} to show.");

    /// <summary>How long the prerendered page waits for numbers before it goes out with "-" in their place.</summary>
    private static readonly TimeSpan PrerenderBudget = TimeSpan.FromSeconds(2);

    private string CountText
    {
        get
        {
            var plural = VisibleRows.Count == 1 ? Scope.Kind.SingularName() : RowsName;
            var total = AllRows().Count();
            return total == VisibleRows.Count
                ? $"{VisibleRows.Count:N0} {plural}"
                : $"{VisibleRows.Count:N0} of {total:N0} {RowsName} match '{Filter}'";
        }
    }

    protected override async Task OnInitializedAsync()
    {
        if (Tables.Recent(Scope, Window) is { } recent)
        {
            (_table, _loaded) = (recent, (Scope, Window));
        }

        if (!RendererInfo.IsInteractive)
        {
            // Prerendering: the HTML should carry numbers, so the first paint has them. No loop: this instance
            // ends with the response; the interactive one finds the table in Tables.Recent.
            await PrerenderLoadAsync();
            return;
        }

        Visibility.Changed += OnVisibilityChanged;
        _inventorySubscription = Inventory.Subscribe(() => _ = InvokeAsync(Render));
        var fresh = _table is not null && Time.GetUtcNow() - _table.LoadedAt < Settings.RefreshInterval;
        _loop = RefreshLoopAsync(loadFirst: !fresh, _stop.Token);
    }

    private async Task PrerenderLoadAsync()
    {
        if (_table is not null)
        {
            return;
        }

        try
        {
            // A query still running at the deadline goes on in the shared cache: the interactive render joins it.
            (_table, _loaded) = (await Tables.LoadAsync(Scope, Window, _stop.Token).WaitAsync(PrerenderBudget, Time), (Scope, Window));
        }
        catch (Exception ex) when (ex is PrometheusException or TimeoutException)
        {
            // The interactive render says what is wrong; the prerendered page shows the rows without numbers.
        }
    }

    protected override Task OnParametersSetAsync()
    {
        Render();
        // A new window or scope needs new numbers now, not at the next tick.
        return _loop is not null && _loaded != (Scope, Window) && _table is not null ? RefreshAsync(_stop.Token) : Task.CompletedTask;
    }

    private async Task RefreshLoopAsync(bool loadFirst, CancellationToken cancellationToken)
    {
        try
        {
            await RefreshLoop.RunAsync(Settings.RefreshInterval, Time, Visibility, loadFirst, RefreshAsync, cancellationToken);
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var key = (Scope, Window);
            _table = await Tables.LoadAsync(key.Item1, key.Item2, cancellationToken);
            _loaded = key;
            _error = null;
        }
        catch (PrometheusException ex)
        {
            // Keep the last good numbers; the banner says how old they are and why.
            _error = ex.Message;
        }
        finally
        {
            _refreshing.Release();
        }

        await InvokeAsync(Render);
    }

    private void Render()
    {
        if (_table is not null && !ReferenceEquals(_table, _announced))
        {
            _announced = _table;
            _ = OnLoaded.InvokeAsync(_table);
        }

        var rows = AllRows().Where(StatSort.Matcher(Filter));
        VisibleRows = [.. StatSort.Apply(rows, Sort, Descending)];
        StateHasChanged();
    }

    /// <summary>The loaded table's rows, or the inventory's alone while nothing has loaded (numbers show as "-").</summary>
    private IEnumerable<StatTableRow> AllRows() =>
        _table is { } table && _loaded == (Scope, Window)
            ? table.Rows
            : StatTableService.Rows(Inventory.Current, Scope);

    private void OnVisibilityChanged(bool visible)
    {
        if (visible)
        {
            _ = InvokeAsync(() => RefreshAsync(_stop.Token));
        }
    }

    private string Age(DateTimeOffset at)
    {
        var age = Time.GetUtcNow() - at;
        return age.TotalSeconds < 90 ? $"{Math.Max(0, (int)age.TotalSeconds)}s" : age.TotalMinutes < 90 ? $"{(int)age.TotalMinutes}m" : $"{(int)age.TotalHours}h";
    }

    public async ValueTask DisposeAsync()
    {
        Visibility.Changed -= OnVisibilityChanged;
        _inventorySubscription?.Dispose();
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
        _refreshing.Dispose();
    }
}
