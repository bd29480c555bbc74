using Dashboard.Configuration;
using Dashboard.Metrics;
using Dashboard.Services;

namespace Dashboard.Model;

/// <summary>
/// The one refresh lifecycle of the live tables, charts and edges. A view model holds what its panel asks for
/// (<see cref="Key"/>) and what was loaded for it; <see cref="InitializeAsync"/> starts the refresh loop in the
/// interactive circuit (never while prerendering), which loads every <see cref="Interval"/> while the tab is visible,
/// at once when it shows again, and at once when <see cref="RefreshIfChangedAsync"/> finds the key changed.
/// <see cref="DisposeAsync"/> cancels and awaits the loop; its unexpected failures go to <see cref="ViewHost.OnError"/>.
/// A Prometheus failure is no such failure: the last data stays, and <see cref="Error"/> says why it is old.
/// </summary>
public abstract class LiveViewModel : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly PageVisibility _visibility;
    private Task? _loop;
    private bool _disposed;

    protected LiveViewModel(DashboardSettings settings, TimeProvider time, PageVisibility visibility, ViewHost host)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(visibility);
        ArgumentNullException.ThrowIfNull(host);
        Settings = settings;
        Time = time;
        Host = host;
        _visibility = visibility;
    }

    protected DashboardSettings Settings { get; }

    protected TimeProvider Time { get; }

    protected ViewHost Host { get; }

    /// <summary>Why the data shown is not fresh (Prometheus' failure), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Whether the refresh loop runs (the interactive circuit, after <see cref="InitializeAsync"/>).</summary>
    public bool IsLive => _loop is not null;

    /// <summary>Cancelled when the view model is disposed.</summary>
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>The key of the data loaded last, or null before the first load.</summary>
    protected object? LoadedKey { get; set; }

    /// <summary>What the view model's state asks for now (e.g. resource and window); a change reloads at once.</summary>
    protected abstract object Key { get; }

    /// <summary>How often to refresh: the dashboard's refresh interval unless the data changes more slowly.</summary>
    protected virtual TimeSpan Interval => Settings.RefreshInterval;

    /// <summary>
    /// The interval of data from range queries over <paramref name="window"/>: a new point comes once per step
    /// (<see cref="PromQl.StepFor"/>), so refreshing faster would fetch the same points again.
    /// </summary>
    protected TimeSpan OncePerStep(StatWindow window)
    {
        var step = PromQl.StepFor(window, Settings.Prometheus.ScrapeInterval);
        return step > Settings.RefreshInterval ? step : Settings.RefreshInterval;
    }

    /// <summary>Loads the data for <paramref name="key"/> (a <see cref="Key"/>).</summary>
    /// <exception cref="PrometheusException">Prometheus could not answer: the last data stays, <see cref="Error"/> says why.</exception>
    protected abstract Task LoadAsync(object key, CancellationToken cancellationToken);

    /// <summary>What <see cref="Error"/> says of a Prometheus failure.</summary>
    protected virtual string Describe(PrometheusException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Message;
    }

    /// <summary>Starts the refresh loop when <paramref name="interactive"/>, loading first; a prerender loads nothing.</summary>
    public virtual Task InitializeAsync(bool interactive)
    {
        if (interactive)
        {
            Start(loadFirst: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>Loads at once when the state asks for other data than was loaded (a new window, another resource).</summary>
    public Task RefreshIfChangedAsync() =>
        _loop is not null && LoadedKey is not null && !LoadedKey.Equals(Key) ? RefreshAsync(_stop.Token) : Task.CompletedTask;

    /// <summary>Starts the refresh loop; <paramref name="loadFirst"/> false when the data in hand is fresh.</summary>
    protected void Start(bool loadFirst)
    {
        if (_loop is not null)
        {
            return;
        }

        _visibility.Changed += OnVisibilityChanged;
        _loop = LoopAsync(loadFirst, _stop.Token);
    }

    private async Task LoopAsync(bool loadFirst, CancellationToken cancellationToken)
    {
        try
        {
            await RefreshLoop.RunAsync(Interval, Time, _visibility, loadFirst, RefreshAsync, cancellationToken);
        }
        catch (Exception ex)
        {
            await Host.OnError(ex);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var key = Key;
            await LoadAsync(key, cancellationToken);
            LoadedKey = key;
            Error = null;
        }
        catch (PrometheusException ex)
        {
            Error = Describe(ex);
        }
        finally
        {
            _refreshing.Release();
        }

        await Host.Render();
    }

    private void OnVisibilityChanged(bool visible)
    {
        if (visible && !_disposed)
        {
            var cancellationToken = _stop.Token;
            _ = Host.Dispatch(() => RefreshOnShowAsync(cancellationToken));
        }
    }

    private async Task RefreshOnShowAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken);
        }
        catch (Exception) when (_disposed)
        {
            // Shown again as the panel went away: nothing left to refresh.
        }
        catch (Exception ex)
        {
            await Host.OnError(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _visibility.Changed -= OnVisibilityChanged;
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        Unsubscribe();
        _stop.Dispose();
        _refreshing.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Ends what the view model subscribed to beyond the loop, once the loop has stopped.</summary>
    protected virtual void Unsubscribe()
    {
    }
}
