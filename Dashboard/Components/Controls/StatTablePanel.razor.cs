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
    private string? _error;
    private Task? _loop;
    private IDisposable? _inventorySubscription;
    private (WorkloadKind, string?, StatWindow) _loaded;

    [Inject] private StatTableService Tables { get; set; } = null!;
    [Inject] private IKubernetesInventory Inventory { get; set; } = null!;
    [Inject] private DashboardSettings Settings { get; set; } = null!;
    [Inject] private PageVisibility Visibility { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter, EditorRequired] public WorkloadKind Kind { get; set; }
    /// <summary>Null for every namespace.</summary>
    [Parameter] public string? Namespace { get; set; }
    [Parameter] public StatWindow Window { get; set; }
    [Parameter] public string? Filter { get; set; }
    [Parameter] public string? Sort { get; set; }
    [Parameter] public bool Descending { get; set; }
    [Parameter] public EventCallback<string> OnSort { get; set; }
    [Parameter] public string? Title { get; set; }

    private string? GrafanaUrl => Settings.Grafana is { } g ? (g.Proxy ? "grafana" : g.Url.ToString()) : null;

    private List<StatTableRow> VisibleRows { get; set; } = [];

    private string EmptyText => !string.IsNullOrWhiteSpace(Filter) && AllRows().Any()
        ? $"No {Kind.UrlSegment()} match '{Filter}'."
        : _table?.EmptyReason ?? (_error is null ? "Loading…" : $"No {Kind.UrlSegment()} to show.");

    protected override void OnInitialized()
    {
        Visibility.Changed += OnVisibilityChanged;
        _inventorySubscription = Inventory.Subscribe(() => _ = InvokeAsync(Render));
        _loop = RefreshLoopAsync(_stop.Token);
    }

    protected override Task OnParametersSetAsync()
    {
        Render();
        // A new window or scope needs new numbers now, not at the next tick.
        return _loop is not null && _loaded != (Kind, Namespace, Window) && _table is not null ? RefreshAsync(_stop.Token) : Task.CompletedTask;
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            await RefreshAsync(cancellationToken);
            using var timer = new PeriodicTimer(Settings.RefreshInterval, Time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (Visibility.IsVisible)
                {
                    await RefreshAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
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
            var key = (Kind, Namespace, Window);
            _table = await Tables.LoadAsync(Kind, Namespace, Window, cancellationToken);
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
        var rows = AllRows().Where(r => StatSort.Matches(r, Filter));
        VisibleRows = [.. StatSort.Apply(rows, Sort, Descending)];
        StateHasChanged();
    }

    /// <summary>The loaded table's rows, or the inventory's alone while nothing has loaded (numbers show as "-").</summary>
    private IEnumerable<StatTableRow> AllRows() =>
        _table is { } table && _loaded == (Kind, Namespace, Window)
            ? table.Rows
            : StatTableService.Rows(Inventory.Current, Kind, Namespace);

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
