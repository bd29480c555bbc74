namespace Dashboard.Tests.Browser;

/// <summary>
/// One fleet, Prometheus, dashboard process and headless Chromium shared by the browser tests of the stat tables,
/// resource pages and exports (they run one after another in this collection).
/// </summary>
public sealed class DashboardFixture : BrowserFleetFixture
{
    public const string Collection = "dashboard pages";

    protected override byte IpOctet => 25;

    protected override Dictionary<string, string> DashboardSettings()
    {
        var settings = base.DashboardSettings();
        settings["RefreshInterval"] = "1s";
        return settings;
    }
}

[CollectionDefinition(DashboardFixture.Collection)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>;
