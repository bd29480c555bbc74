namespace Dashboard.Services;

/// <summary>The live refresh of a panel: every interval while its browser tab is visible, never while it is hidden.</summary>
public static class RefreshLoop
{
    /// <summary>
    /// Calls <paramref name="refresh"/> (first at once when <paramref name="refreshFirst"/>) and then every
    /// <paramref name="interval"/> on <paramref name="time"/>'s clock, skipping ticks while the tab is hidden, until
    /// <paramref name="cancellationToken"/> is cancelled (then it returns normally). Other failures propagate: the
    /// owning component routes them to <c>DispatchExceptionAsync</c>.
    /// </summary>
    public static async Task RunAsync(
        TimeSpan interval, TimeProvider time, PageVisibility visibility, bool refreshFirst,
        Func<CancellationToken, Task> refresh, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            if (refreshFirst)
            {
                await refresh(cancellationToken);
            }

            // Ticks fall on the clock's multiples of the interval, the same instants for every viewer: their refreshes
            // ask the shared query cache together, so one round of queries serves them all.
            await Task.Delay(UntilNextTick(time.GetUtcNow(), interval), time, cancellationToken);
            using var timer = new PeriodicTimer(interval, time);
            do
            {
                if (visibility.IsVisible)
                {
                    await refresh(cancellationToken);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
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
