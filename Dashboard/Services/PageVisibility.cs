using Microsoft.JSInterop;

namespace Dashboard.Services;

/// <summary>
/// Whether this circuit's browser tab is visible (scoped: one per circuit). Tables stop refreshing while it is
/// hidden, so a forgotten background tab costs Prometheus nothing.
/// </summary>
public sealed class PageVisibility
{
    public bool IsVisible { get; private set; } = true;

    public event Action<bool>? Changed;

    [JSInvokable]
    public void SetVisible(bool visible)
    {
        if (visible != IsVisible)
        {
            IsVisible = visible;
            Changed?.Invoke(visible);
        }
    }
}
