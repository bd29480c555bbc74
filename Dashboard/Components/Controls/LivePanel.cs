using Dashboard.Configuration;
using Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

/// <summary>
/// A panel that loads in the interactive circuit only (the prerendered page shows its frame), then refreshes every
/// <see cref="Interval"/> while the tab is visible, and at once when its parameters ask for other data.
/// </summary>
public abstract class LivePanel : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private object? _loaded;

    [Inject] protected DashboardSettings Settings { get; set; } = null!;
    [Inject] protected TimeProvider Time { get; set; } = null!;
    [Inject] private PageVisibility Visibility { get; set; } = null!;

    /// <summary>What the parameters ask for; a change reloads at once.</summary>
    protected abstract object DataKey { get; }

    /// <summary>How often to refresh: the dashboard's refresh interval unless the panel's data changes more slowly.</summary>
    protected virtual TimeSpan Interval => Settings.RefreshInterval;

    /// <summary>Loads the data for <paramref name="key"/> (a <see cref="DataKey"/>); Prometheus failures are the panel's to show.</summary>
    protected abstract Task LoadAsync(object key, CancellationToken cancellationToken);

    protected override void OnInitialized()
    {
        if (RendererInfo.IsInteractive)
        {
            _loop = LoopAsync(_stop.Token);
        }
    }

    protected override Task OnParametersSetAsync() =>
        _loop is not null && _loaded is not null && !_loaded.Equals(DataKey) ? RefreshAsync(_stop.Token) : Task.CompletedTask;

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshLoop.RunAsync(Interval, Time, Visibility, refreshFirst: true, RefreshAsync, cancellationToken);
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var key = DataKey;
        await LoadAsync(key, cancellationToken);
        _loaded = key;
        await InvokeAsync(StateHasChanged);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
