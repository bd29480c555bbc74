using Dashboard.Tests.Fleet;

namespace Dashboard.Tests.Browser;

/// <summary>
/// One fleet, Prometheus, dashboard process and headless Chromium shared by the browser tests of the live pages
/// (they run one after another in this collection).
/// </summary>
public sealed class DashboardFixture : FleetFixture
{
    public const string Collection = "dashboard pages";

    protected override byte IpOctet => 25;

    public DashboardProcess Dashboard { get; private set; } = null!;
    public BrowserSession Browser { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Prometheus:Url"] = Prometheus.Url.ToString(),
            ["Prometheus:ScrapeInterval"] = "1s",
            ["Kubernetes:Url"] = Api.ToString(),
            ["RefreshInterval"] = "1s",
        });
        Browser = await BrowserSession.LaunchAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Dashboard.DisposeAsync();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(DashboardFixture.Collection)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>;
