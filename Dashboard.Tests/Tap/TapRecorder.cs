using Dashboard.Contracts.Tap;
using Dashboard.Tap;

namespace Dashboard.Tests.Tap;

/// <summary>Reads a session in the background as a page would, folding its events into rows and a top.</summary>
internal sealed class TapRecorder : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly TapRowFolder _folder = new();
    private readonly List<TapRow> _rows = [];
    private readonly List<TappedEvent> _inits = [];
    private readonly TopAggregator _top = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    public TapRecorder(TapSession session)
    {
        Session = session;
        _reading = Task.Run(ReadAsync);
    }

    public TapSession Session { get; }

    public List<TapRow> Completed()
    {
        lock (_lock)
        {
            return [.. _rows.Where(r => r.IsComplete)];
        }
    }

    /// <summary>The request-init events, each with the pod whose proxy sent it.</summary>
    public List<TappedEvent> Inits()
    {
        lock (_lock)
        {
            return [.. _inits];
        }
    }

    public double? LetThrough()
    {
        lock (_lock)
        {
            return _top.LetThrough;
        }
    }

    public Task UntilAsync(Func<List<TapRow>, bool> condition, string what, TimeSpan? timeout = null) =>
        TestTimeouts.Eventually(() => Task.FromResult(condition(Completed())), what, timeout ?? TestTimeouts.Slow);

    public Task UntilPodAsync(string pod, Func<TapPodStatus, bool> condition, string what) =>
        TestTimeouts.Eventually(() => Task.FromResult(Session.Pods.Any(p => p.Pod == pod && condition(p))), what, TestTimeouts.Slow);

    private async Task ReadAsync()
    {
        await foreach (var batch in Session.ReadBatchesAsync(cancellationToken: _stop.Token))
        {
            lock (_lock)
            {
                foreach (var item in batch)
                {
                    if (_folder.Fold(item) is not { } row)
                    {
                        continue;
                    }

                    if (item.Event.Kind == TapEventKind.RequestInit)
                    {
                        _rows.Add(row);
                        _inits.Add(item);
                    }

                    _top.Add(row);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Session.DisposeAsync().Within();
        await _reading.Within();
        _stop.Dispose();
    }
}
