namespace Dashboard.Model;

/// <summary>
/// Coalesces render requests: the first renders at once, the ones that follow within <c>interval</c> become one
/// render at the end of it. So a page fed thousands of events per second renders at most 1/interval times a second.
/// No render starts before the previous one's task completed: when that task ends once the browser shows the render
/// (<see cref="ShownRender"/>), a browser slower than the interval gets fewer, fresher renders instead of a queue.
/// </summary>
public sealed class RenderThrottle(TimeSpan interval, TimeProvider time, Func<Task> render) : IDisposable
{
    /// <summary>10 renders a second: what a person can read, and what a circuit can carry.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private ITimer? _timer;
    private long _last = long.MinValue;
    private bool _scheduled;
    private bool _rendering;
    private bool _requestedWhileRendering;
    private bool _disposed;

    public void Request()
    {
        TimeSpan wait;
        lock (_lock)
        {
            if (_rendering)
            {
                _requestedWhileRendering = true;
                return;
            }

            if (_scheduled || _disposed)
            {
                return;
            }

            _scheduled = true;
            wait = _last == long.MinValue ? TimeSpan.Zero : interval - time.GetElapsedTime(_last);
            if (wait > TimeSpan.Zero)
            {
                _timer?.Dispose();
                _timer = time.CreateTimer(_ => _ = FireAsync(), null, wait, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        _ = FireAsync();
    }

    private async Task FireAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            (_scheduled, _rendering) = (false, true);
            _last = time.GetTimestamp();
        }

        try
        {
            await render().ConfigureAwait(false);
        }
        finally
        {
            bool again;
            lock (_lock)
            {
                (again, _rendering, _requestedWhileRendering) = (_requestedWhileRendering, false, false);
            }

            // What arrived during the render is shown by the next one, still no sooner than the interval allows.
            if (again)
            {
                Request();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }
}
