using Microsoft.JSInterop;

namespace Dashboard.Services;

/// <summary>
/// Whether anyone can see this circuit's page (scoped: one per circuit): its browser tab is visible and the browser
/// is still connected. Tables stop refreshing otherwise, so a forgotten background tab, or a closed one whose circuit
/// the server keeps for a while in case it reconnects, costs Prometheus nothing.
/// </summary>
public sealed class PageVisibility
{
    private bool _tabVisible = true;
    private bool _connected = true;

    public bool IsVisible => _tabVisible && _connected;

    public event Action<bool>? Changed;

    /// <summary>Told by the browser (dashboard.js) when the tab is shown or hidden.</summary>
    [JSInvokable]
    public void SetVisible(bool visible) => Update(() => _tabVisible = visible);

    /// <summary>Told by <see cref="CircuitVisibility"/> when the circuit's connection goes down or comes back.</summary>
    public void SetConnected(bool connected) => Update(() => _connected = connected);

    private void Update(Action change)
    {
        var before = IsVisible;
        change();
        if (IsVisible != before)
        {
            Changed?.Invoke(IsVisible);
        }
    }
}
