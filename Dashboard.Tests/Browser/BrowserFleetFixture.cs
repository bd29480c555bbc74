using Dashboard.Tests.Fleet;

namespace Dashboard.Tests.Browser;

/// <summary>A fleet with Prometheus (<see cref="FleetFixture"/>), the dashboard as its own process over them, and a headless Chromium.</summary>
public abstract class BrowserFleetFixture : FleetFixture
{
    public DashboardProcess Dashboard { get; private set; } = null!;
    public BrowserSession Browser { get; private set; } = null!;
    private bool _dashboardStarted, _browserStarted;

    /// <summary>The dashboard's settings (keys below <c>Dashboard:</c>); the fleet's API and Prometheus by default.</summary>
    protected virtual Dictionary<string, string> DashboardSettings() => new()
    {
        ["Prometheus:Url"] = Prometheus.Url.ToString(),
        ["Prometheus:ScrapeInterval"] = "1s",
        ["Kubernetes:Url"] = Api.ToString(),
    };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Dashboard = await DashboardProcess.StartAsync(DashboardSettings());
        _dashboardStarted = true;
        Browser = await BrowserSession.LaunchAsync();
        _browserStarted = true;
    }

    public override async ValueTask DisposeAsync()
    {
        // What started is stopped, also after a failed start.
        if (_browserStarted)
        {
            await Browser.DisposeAsync().Within();
        }

        if (_dashboardStarted)
        {
            await Dashboard.DisposeAsync();
        }

        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
