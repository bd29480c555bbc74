using Dashboard.Services;

namespace Dashboard.Tests.DashboardApp;

/// <summary>
/// A page is seen while its tab is visible and its browser connected: a closed tab's circuit, kept by the server in
/// case it reconnects, stops refreshing.
/// </summary>
public sealed class PageVisibilityTests
{
    [Fact]
    public async Task A_disconnected_circuit_is_unseen_until_it_reconnects_and_a_hidden_tab_stays_unseen()
    {
        var visibility = new PageVisibility();
        var changes = new List<bool>();
        visibility.Changed += changes.Add;
        var handler = new CircuitVisibility(visibility);

        await handler.OnConnectionDownAsync(null!, TestTimeouts.Token);
        Assert.False(visibility.IsVisible);
        visibility.SetVisible(false); // hidden while disconnected: no news
        await handler.OnConnectionUpAsync(null!, TestTimeouts.Token);
        Assert.False(visibility.IsVisible); // connected again, but the tab is still hidden
        visibility.SetVisible(true);

        Assert.True(visibility.IsVisible);
        Assert.Equal([false, true], changes);
    }
}
