using Dashboard.Configuration;
using Dashboard.Model;
using Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

/// <summary>
/// A panel shown from a <see cref="LiveViewModel"/>: it creates the model when it starts, hands it its parameters
/// each time they are set, and disposes it. The model owns the refresh; the panel only renders it.
/// </summary>
public abstract class LivePanel<TModel> : ViewComponentBase, IAsyncDisposable
    where TModel : LiveViewModel
{
    [Inject] protected DashboardSettings Settings { get; set; } = null!;
    [Inject] protected TimeProvider Time { get; set; } = null!;
    [Inject] protected PageVisibility Visibility { get; set; } = null!;

    protected TModel Model { get; private set; } = null!;

    protected abstract TModel CreateModel();

    /// <summary>Copies the parameters into the model (what it asks for).</summary>
    protected abstract void Apply(TModel model);

    /// <summary>Called on the dispatcher before each render the model asks for.</summary>
    protected virtual void OnModelChanged()
    {
    }

    protected override Task OnInitializedAsync()
    {
        Model = CreateModel();
        Apply(Model);
        return Model.InitializeAsync(RendererInfo.IsInteractive);
    }

    protected override Task OnParametersSetAsync()
    {
        Apply(Model);
        OnModelChanged();
        return Model.RefreshIfChangedAsync();
    }

    protected override void RenderModel()
    {
        OnModelChanged();
        base.RenderModel();
    }

    public async ValueTask DisposeAsync()
    {
        // Null when disposed before it started (a render that failed first).
        if (Model is not null)
        {
            await Model.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
