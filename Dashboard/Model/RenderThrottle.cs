namespace Dashboard.Model;

/// <summary>
/// Coalesces render requests: the first renders at once, the ones that follow within <c>interval</c> become one
/// render at the end of it. So a page fed thousands of events per second renders at most 1/interval times a second.
/// </summary>
public sealed class RenderThrottle(TimeSpan interval, TimeProvider time, Func<Task> render) : IDisposable
{
    /// <summary>10 renders a second: what a person can read, and what a circuit can carry.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private ITimer? _timer;
    private long _last = long.MinValue;
    private bool _scheduled;
    private bool _disposed;

    public void Request()
    {
        TimeSpan wait;
        lock (_lock)
        {
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

    private Task FireAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return Task.CompletedTask;
            }

            // Cleared before rendering, so a request during the render schedules the next one.
            _scheduled = false;
            _last = time.GetTimestamp();
        }

        return render();
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
