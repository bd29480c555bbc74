using System.Net.Http.Json;
using Dashboard.Proxy.Fleet;
using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Tests.Fleet;

/// <summary>
/// One fleet running the four scenario manifests of <c>docker/fleet/</c> together (each in namespaces of its own) and a
/// real Prometheus scraping it every second: external clients whose requests spike (<c>spikes</c>), one slow replica
/// (<c>replicas</c>), a slow downstream (<c>pay</c>), and a steady service (<c>calm</c>). No dashboard looks at it: its
/// diagnoses cover only the traffic the manifests plant (a page's taps and queries would add load of their own).
/// </summary>
public sealed class ScenarioFleetFixture : FleetFixture
{
    /// <summary>How long after the start the fleet's first requests may be slow (JIT, first connections): no lookback starts earlier.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);

    public const string Collection = "scenario fleet";

    /// <summary>The scenario manifests, by file name under <c>docker/fleet/</c>.</summary>
    public static IReadOnlyList<string> Scenarios { get; } = ["spike-external.yaml", "slow-pod.yaml", "slow-downstream.yaml", "steady.yaml"];

    protected override byte IpOctet => 47;

    /// <summary>The four manifests merged: what this fleet runs.</summary>
    public static FleetManifest Planted { get; } = Merge(Scenarios.Select(f => FleetManifestLoader.Load(Path.Combine(RepoPaths.Root, "docker/fleet", f))));

    protected override FleetManifest FleetManifest => Planted;

    /// <summary>When the fleet had started.</summary>
    public DateTimeOffset Started { get; private set; }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Started = DateTimeOffset.UtcNow;
    }

    /// <summary>Manifests side by side: their namespaces and traffic, which must not share names.</summary>
    public static FleetManifest Merge(IEnumerable<FleetManifest> manifests)
    {
        var all = manifests.ToList();
        return new FleetManifest([.. all.SelectMany(m => m.Namespaces)], [.. all.SelectMany(m => m.Traffic)]);
    }

    /// <summary>The fleet's ground truth over the last <paramref name="window"/>.</summary>
    public async Task<TruthReport> TruthAsync(TimeSpan window)
    {
        using var http = new HttpClient { BaseAddress = Api, Timeout = TestTimeouts.Default };
        var seconds = (int)Math.Ceiling(window.TotalSeconds);
        return (await http.GetFromJsonAsync<TruthReport>($"/fleet/truth?window={seconds}s", TestTimeouts.Token).Within())!;
    }
}

[CollectionDefinition(ScenarioFleetFixture.Collection)]
public sealed class ScenarioFleetCollection : ICollectionFixture<ScenarioFleetFixture>;

/// <summary>
/// The spiking external client of <c>docker/fleet/spike-external.yaml</c> alone, a dashboard whose spike panels and
/// badges look back <see cref="Lookback"/> (a 2s step), with tap on, and a browser.
/// </summary>
public sealed class SpikesBrowserFixture : Browser.BrowserFleetFixture
{
    public const string Collection = "spikes in the browser";

    public static readonly TimeSpan Lookback = TimeSpan.FromMinutes(2);

    protected override byte IpOctet => 48;

    protected override FleetManifest FleetManifest { get; } = FleetManifestLoader.Load(Path.Combine(RepoPaths.Root, "docker/fleet/spike-external.yaml"));

    protected override Dictionary<string, string> DashboardSettings()
    {
        var settings = base.DashboardSettings();
        settings["Investigation:Lookback"] = $"{Lookback.TotalSeconds}s";
        settings["Tap:Token"] = TapToken; // spike panels sample paths
        return settings;
    }
}

[CollectionDefinition(SpikesBrowserFixture.Collection)]
public sealed class SpikesBrowserCollection : ICollectionFixture<SpikesBrowserFixture>;
