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

            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (visibility.IsVisible)
                {
                    await refresh(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
