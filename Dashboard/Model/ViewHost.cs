namespace Dashboard.Model;

/// <summary>What a view model needs of the component that shows it: its dispatcher, a render, and where failures go.</summary>
/// <param name="Dispatch">Runs work on the component's dispatcher (<c>InvokeAsync</c>).</param>
/// <param name="Render">Renders the component (<c>InvokeAsync(StateHasChanged)</c>); safe to call from any thread.</param>
/// <param name="OnError">Where an unexpected failure of background work goes (<c>DispatchExceptionAsync</c>).</param>
public sealed record ViewHost(Func<Func<Task>, Task> Dispatch, Func<Task> Render, Func<Exception, Task> OnError)
{
    /// <summary>A host without a component: work runs inline, renders are skipped, failures are rethrown (unit tests).</summary>
    public static ViewHost Inline { get; } = new(work => work(), () => Task.CompletedTask, e => Task.FromException(e));
}
