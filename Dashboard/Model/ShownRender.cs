namespace Dashboard.Model;

/// <summary>
/// A component's render as a task that completes once the browser has shown it, for <see cref="RenderThrottle"/>.
/// Blazor Server runs <c>OnAfterRender</c> only after the browser acknowledged the render batch, and keeps rendering
/// into up to 10 unacknowledged batches meanwhile: a page rendering faster than its browser applies would show what is
/// seconds old. The component calls <see cref="Shown"/> from <c>OnAfterRender</c>.
/// </summary>
/// <param name="dispatch">Runs work on the component's dispatcher (its <c>InvokeAsync</c>).</param>
/// <param name="stateHasChanged">The component's <c>StateHasChanged</c>.</param>
public sealed class ShownRender(Func<Action, Task> dispatch, Action stateHasChanged, TimeProvider time)
{
    /// <summary>
    /// How long a render waits to be shown: the bound for a browser that does not answer (disconnected), after which
    /// renders go on at the throttle's pace; ten 100 ms intervals, as many as Blazor buffers unacknowledged.
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private TaskCompletionSource? _shown;

    public async Task RenderAsync()
    {
        var shown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await dispatch(() =>
        {
            // Set before rendering: a renderer that shows at once (bUnit's) calls Shown within StateHasChanged.
            Interlocked.Exchange(ref _shown, shown)?.TrySetResult();
            stateHasChanged();
        }).ConfigureAwait(false);
        try
        {
            await shown.Task.WaitAsync(MaxWait, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>The component rendered and the browser has shown it: call from <c>OnAfterRender</c>.</summary>
    public void Shown() => Interlocked.Exchange(ref _shown, null)?.TrySetResult();
}
