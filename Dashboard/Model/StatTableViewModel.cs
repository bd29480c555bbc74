using Dashboard.Configuration;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Services;

namespace Dashboard.Model;

/// <summary>
/// One live stat table: its scope, window, filter and sort, the table loaded for them and the rows shown. The rows come
/// from the last table of this scope and window, or, before one has loaded, from the inventory alone (numbers "-"). A
/// prerender loads once, within <see cref="PrerenderBudget"/>, so the first paint has numbers; the interactive view
/// starts from a recent table any viewer loaded and refreshes (<see cref="LiveViewModel"/>). When Prometheus is away
/// the last good numbers stay, with their age.
/// </summary>
public sealed class StatTableViewModel : LiveViewModel
{
    /// <summary>How long the prerendered page waits for numbers before it goes out with "-" in their place.</summary>
    public static readonly TimeSpan PrerenderBudget = TimeSpan.FromSeconds(2);

    private readonly StatTableService _tables;
    private readonly IKubernetesInventory _inventory;
    private IDisposable? _inventorySubscription;
    private TableScope _scope;
    private StatWindow _window;
    private string? _filter;
    private string? _sort;
    private bool _descending;
    private CompareWindow? _compare;
    private StatTable? _table;
    private CompareWindow? _tableCompare;
    private List<StatTableRow>? _visibleRows;
    private long _rowsInventoryVersion = -1;

    public StatTableViewModel(StatTableService tables, IKubernetesInventory inventory, DashboardSettings settings, TimeProvider time, PageVisibility visibility, ViewHost host)
        : base(settings, time, visibility, host)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(inventory);
        _tables = tables;
        _inventory = inventory;
    }

    public TableScope Scope { get => _scope; set => Set(ref _scope, value); }
    public StatWindow Window { get => _window; set => Set(ref _window, value); }
    /// <summary>Names to show (<c>*</c> wildcards, see <see cref="StatSort.Matcher"/>); null or blank for all.</summary>
    public string? Filter { get => _filter; set => Set(ref _filter, value); }
    /// <summary>The <see cref="StatSort"/> column; null sorts by name.</summary>
    public string? Sort { get => _sort; set => Set(ref _sort, value); }
    public bool Descending { get => _descending; set => Set(ref _descending, value); }
    /// <summary>The window each number is shown beside (<c>compare=</c>); null: none.</summary>
    public CompareWindow? Compare { get => _compare; set => Set(ref _compare, value); }

    /// <summary>What a compared table says of its other window; null when not comparing.</summary>
    public string? CompareText => Compare is { } compare
        ? $"Each number ← its value over {compare.Describe(Window)}, and the change; ▲ ▼ mark changes larger than the noise."
        : null;

    /// <summary>The last table loaded for any scope and window, or null before the first.</summary>
    public StatTable? Table => _table;

    /// <summary>The Kubernetes API's state: the rows are as of its last sync.</summary>
    public InventoryStatus InventoryStatus => _inventory.Status;

    /// <summary>The rows shown: filtered and sorted.</summary>
    public IReadOnlyList<StatTableRow> VisibleRows
    {
        get
        {
            if (_visibleRows is null || (!HasTable && _rowsInventoryVersion != _inventory.Current.Version))
            {
                _rowsInventoryVersion = _inventory.Current.Version;
                _visibleRows = [.. StatSort.Apply(AllRows().Where(StatSort.Matcher(Filter)), Sort, Descending)];
            }

            return _visibleRows;
        }
    }

    /// <summary>The plural the rows are named by (<c>deployments</c>).</summary>
    public string RowsName => Scope.Kind.UrlSegment();

    /// <summary>Whether rows of several namespaces show, so each needs its namespace (not for namespaces themselves).</summary>
    public bool ShowNamespace => Scope.SpansNamespaces && Scope.Kind != WorkloadKind.Namespace;

    /// <summary>What an empty table says instead: nothing matches the filter, why there is nothing, or that it loads.</summary>
    public string EmptyText => !string.IsNullOrWhiteSpace(Filter) && AllRows().Any()
        ? $"No {RowsName} match '{Filter}'."
        : _table?.EmptyReason ?? (Error is null ? "Loading…" : $"No {RowsName} to show.");

    /// <summary>How many rows show, and of how many when the filter hides some.</summary>
    public string CountText
    {
        get
        {
            // The unmeshed clients are no resource: counted apart.
            var shown = VisibleRows.Count(r => !r.IsUnmeshedClients);
            var plural = shown == 1 ? Scope.Kind.SingularName() : RowsName;
            var total = AllRows().Count(r => !r.IsUnmeshedClients);
            var unmeshed = VisibleRows.Any(r => r.IsUnmeshedClients) ? $" and {StatTableRow.UnmeshedClientsName}" : "";
            if (shown == 0 && total == 0 && unmeshed.Length > 0)
            {
                return $"{StatTableRow.UnmeshedClientsName} only";
            }

            return total == shown ? $"{shown:N0} {plural}{unmeshed}" : $"{shown:N0} of {total:N0} {RowsName} match '{Filter}'{unmeshed}";
        }
    }

    protected override object Key => (Scope, Window, Compare);

    /// <summary>How long ago <paramref name="at"/> was, as a banner says it: <c>40s</c>, <c>5m</c>, <c>2h</c>.</summary>
    public string Age(DateTimeOffset at) => StatFormat.Age(Time.GetUtcNow() - at);

    /// <summary>
    /// Starts from the recent table of this scope, if any viewer loaded one. Prerendering, loads once if there is none
    /// (the interactive view of the same page then finds it recent); interactive, refreshes, at once unless it is fresh.
    /// </summary>
    public override async Task InitializeAsync(bool interactive)
    {
        if (Compare is null && _tables.Recent(Scope, Window) is { } recent)
        {
            Apply(recent);
        }

        if (!interactive)
        {
            await PrerenderLoadAsync();
            return;
        }

        _inventorySubscription = _inventory.Subscribe(() => _ = Host.Render());
        Start(loadFirst: !(_table is not null && Time.GetUtcNow() - _table.LoadedAt < Settings.RefreshInterval));
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
            var compare = Compare;
            Apply(await LoadTableAsync(Scope, Window, compare, Stopping).WaitAsync(PrerenderBudget, Time), compare);
        }
        catch (Exception ex) when (ex is PrometheusException or TimeoutException)
        {
            // The interactive render says what is wrong; the prerendered page shows the rows without numbers.
        }
    }

    protected override async Task LoadAsync(object key, CancellationToken cancellationToken)
    {
        var (scope, window, compare) = ((TableScope, StatWindow, CompareWindow?))key;
        Apply(await LoadTableAsync(scope, window, compare, cancellationToken), compare);
    }

    private Task<StatTable> LoadTableAsync(TableScope scope, StatWindow window, CompareWindow? compare, CancellationToken cancellationToken) =>
        compare is { } other
            ? _tables.LoadComparedAsync(scope, window, at: null, other, cancellationToken)
            : _tables.LoadAsync(scope, window, cancellationToken);

    private void Apply(StatTable table, CompareWindow? compare = null)
    {
        _table = table;
        _tableCompare = compare;
        LoadedKey = (table.Scope, table.Window, compare);
        _visibleRows = null;
    }

    private bool HasTable => _table is { } table && table.Scope == Scope && table.Window == Window && _tableCompare == Compare;

    /// <summary>The loaded table's rows, or the inventory's alone while nothing has loaded for this scope and window.</summary>
    private IEnumerable<StatTableRow> AllRows() => HasTable ? _table!.Rows : StatTableService.Rows(_inventory.Current, Scope);

    private void Set<T>(ref T field, T value)
    {
        if (!EqualityComparer<T>.Default.Equals(field, value))
        {
            field = value;
            _visibleRows = null;
        }
    }

    protected override void Unsubscribe() => _inventorySubscription?.Dispose();
}
