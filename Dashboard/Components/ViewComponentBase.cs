using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components;

/// <summary>A page or panel shown from view models (<c>Model/</c>): what they need of it is its <see cref="Host"/>.</summary>
public abstract class ViewComponentBase : ComponentBase
{
    private ViewHost? _host;

    /// <summary>The component's dispatcher, its render and its error boundary, for the view models it creates.</summary>
    protected ViewHost Host => _host ??= new(work => InvokeAsync(work), () => InvokeAsync(RenderModel), DispatchExceptionAsync);

    /// <summary>Runs on the dispatcher when a view model asks for a render.</summary>
    protected virtual void RenderModel() => StateHasChanged();
}
