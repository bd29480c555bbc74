using System.Threading.Channels;

namespace Dashboard.Services;

/// <summary>The live refresh of a panel: every interval while its browser tab is visible, never while it is hidden.</summary>
public static class RefreshLoop
{
    /// <summary>
    /// Calls <paramref name="refresh"/> (first at once when <paramref name="refreshFirst"/>) and then every
    /// <paramref name="interval"/> on <paramref name="time"/>'s clock, skipping ticks that fall while the tab is hidden,
    /// until <paramref name="cancellationToken"/> is cancelled (then it returns normally). Other failures propagate: the
    /// owner routes them to <c>DispatchExceptionAsync</c>.
    /// </summary>
    public static async Task RunAsync(
        TimeSpan interval, TimeProvider time, PageVisibility visibility, bool refreshFirst,
        Func<CancellationToken, Task> refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(visibility);
        ArgumentNullException.ThrowIfNull(refresh);
        // One pending tick at most: a refresh slower than the interval is followed by one more, not by a backlog.
        var ticks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        // Ticks fall on the clock's multiples of the interval, the same instants for every viewer: their refreshes ask
        // the shared query cache together, so one round of queries serves them all. The timer exists before the first
        // refresh, and a tick is judged when it falls (hidden: dropped), so no tick depends on how fast this loop runs.
        using var timer = time.CreateTimer(
            _ =>
            {
                if (visibility.IsVisible)
                {
                    ticks.Writer.TryWrite(true);
                }
            },
            null, UntilNextTick(time.GetUtcNow(), interval), interval);
        try
        {
            await Task.Yield();
            if (refreshFirst)
            {
                await refresh(cancellationToken);
            }

            while (true)
            {
                await ticks.Reader.ReadAsync(cancellationToken);
                await refresh(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The time from <paramref name="now"/> to the next multiple of <paramref name="interval"/> since the Unix epoch (a whole interval when on one).</summary>
    public static TimeSpan UntilNextTick(DateTimeOffset now, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var period = interval.Ticks;
        var sinceEpoch = (now - DateTimeOffset.UnixEpoch).Ticks;
        return TimeSpan.FromTicks(period - (((sinceEpoch % period) + period) % period));
    }
}
