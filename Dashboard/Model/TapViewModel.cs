using Dashboard.Kubernetes;
using Dashboard.Tap;

namespace Dashboard.Model;

/// <summary>
/// The state of a live tap on a page: the session, the rows on screen (newest first, at most <see cref="MaxRows"/>),
/// the top aggregation, the session's history for export, and pause with bounded buffering. Events are applied on
/// the page's dispatcher and renders are coalesced (<see cref="RenderThrottle"/>), so the page only reads.
/// </summary>
public sealed class TapViewModel : IAsyncDisposable
{
    public const int MaxRows = 100;
    public const int MaxPausedEvents = 10_000;
    public const int MaxHistory = 10_000;

    private readonly ITapService _service;
    private readonly IKubernetesInventory _inventory;
    private readonly Func<Func<Task>, Task> _dispatch;
    private readonly Func<Exception, Task> _onError;
    private readonly RenderThrottle _throttle;
    private readonly int _historyCapacity;
    private readonly List<TapRow> _rows = [];
    private readonly Queue<TapRow> _history = new();
    private readonly Queue<TappedEvent> _paused = new();
    private TapRowFolder _folder = new();
    private CancellationTokenSource? _stop;
    private Task _reading = Task.CompletedTask;

    /// <param name="dispatch">Runs work on the page's dispatcher (a component's <c>InvokeAsync</c>).</param>
    /// <param name="render">Renders the page; called at most once per <paramref name="renderInterval"/>.</param>
    /// <param name="onError">Where an unexpected failure of the reading loop goes (<c>DispatchExceptionAsync</c>).</param>
    /// <param name="historyCapacity">Completed rows kept for export; 0 where nothing exports.</param>
    public TapViewModel(ITapService service, IKubernetesInventory inventory, TimeProvider time,
        Func<Func<Task>, Task> dispatch, Func<Task> render, Func<Exception, Task> onError, TimeSpan? renderInterval = null, int historyCapacity = MaxHistory)
    {
        _historyCapacity = historyCapacity;
        _service = service;
        _inventory = inventory;
        _dispatch = dispatch;
        _onError = onError;
        _throttle = new RenderThrottle(renderInterval ?? RenderThrottle.DefaultInterval, time, render);
        _service.Availability.Changed += _throttle.Request;
    }

    /// <summary>Whether tap can work at all; a change renders the page.</summary>
    public TapAvailability Availability => _service.Availability;

    public TapSession? Session { get; private set; }
    public bool IsRunning => Session is not null;
    public bool IsPaused { get; private set; }
    /// <summary>Why the last start failed (nothing to tap, tap disabled), or null.</summary>
    public string? Error { get; private set; }

    public IReadOnlyList<TapRow> Rows => _rows;
    public TopAggregator Top { get; } = new();
    /// <summary>Completed requests of the session, oldest first, at most <see cref="MaxHistory"/>: what an export holds.</summary>
    public IReadOnlyCollection<TapRow> History => _history;
    public int Buffered => _paused.Count;
    /// <summary>Events dropped while paused because the buffer was full.</summary>
    public long PausedDropped { get; private set; }
    public long Received { get; private set; }

    public IReadOnlyList<TapPodStatus> Pods => Session?.Pods ?? [];

    /// <summary>Stops any running tap, clears the view, and starts <paramref name="query"/>.</summary>
    public async Task StartAsync(TapQuery query)
    {
        await StopAsync();
        _rows.Clear();
        _history.Clear();
        _paused.Clear();
        Top.Clear();
        (Received, PausedDropped, IsPaused, Error) = (0, 0, false, null);
        _folder = new TapRowFolder(new TapPodDirectory(_inventory.Current).NameOf);
        try
        {
            Session = _service.Start(query);
        }
        catch (Exception ex) when (ex is TapQueryException or InvalidOperationException)
        {
            Error = ex.Message;
            return;
        }

        Session.PodChanged += _ => _throttle.Request();
        _stop = new CancellationTokenSource();
        _reading = ReadAsync(Session, _stop.Token);
    }

    public void Pause() => IsPaused = IsRunning;

    /// <summary>Shows what arrived while paused (at most <see cref="MaxPausedEvents"/>), then goes on live.</summary>
    public void Resume()
    {
        IsPaused = false;
        var buffered = _paused.ToArray();
        _paused.Clear();
        Apply(buffered);
        _throttle.Request();
    }

    public async Task StopAsync()
    {
        if (Session is not { } session)
        {
            return;
        }

        Session = null;
        IsPaused = false;
        await _stop!.CancelAsync();
        await session.DisposeAsync();
        await _reading;
        _stop.Dispose();
        _stop = null;
        // The last rows stay on screen and in the history for export.
        _paused.Clear();
    }

    /// <summary>Applies events as the page's reading loop does; tests feed it directly.</summary>
    internal void Receive(IReadOnlyList<TappedEvent> batch)
    {
        Received += batch.Count;
        if (!IsPaused)
        {
            Apply(batch);
            return;
        }

        foreach (var item in batch)
        {
            _paused.Enqueue(item);
        }

        while (_paused.Count > MaxPausedEvents && _paused.TryDequeue(out _))
        {
            PausedDropped++;
        }
    }

    private async Task ReadAsync(TapSession session, CancellationToken cancellationToken)
    {
        try
        {
            // All that is buffered per hop onto the page's dispatcher: a reader that fell behind catches up in one hop
            // instead of waiting its turn there once per thousand events while the buffer drops the oldest.
            await foreach (var batch in session.ReadBatchesAsync(session.BufferCapacity, cancellationToken).ConfigureAwait(false))
            {
                await _dispatch(() =>
                {
                    // Stopped meanwhile (StopAsync drops the session at once): what it still read is not shown.
                    if (ReferenceEquals(Session, session))
                    {
                        Receive(batch);
                    }

                    return Task.CompletedTask;
                }).ConfigureAwait(false);
                _throttle.Request();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await _onError(ex).ConfigureAwait(false);
        }
    }

    private void Apply(IEnumerable<TappedEvent> events)
    {
        foreach (var item in events)
        {
            if (_folder.Fold(item) is not { } row)
            {
                continue;
            }

            if (item.Event.Kind == Contracts.Tap.TapEventKind.RequestInit)
            {
                _rows.Insert(0, row);
                if (_rows.Count > MaxRows)
                {
                    _rows.RemoveAt(_rows.Count - 1);
                }
            }

            if (row.IsComplete)
            {
                Top.Add(row);
                _history.Enqueue(row);
                if (_history.Count > _historyCapacity)
                {
                    _history.Dequeue();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _service.Availability.Changed -= _throttle.Request;
        _throttle.Dispose();
        await StopAsync();
    }
}
