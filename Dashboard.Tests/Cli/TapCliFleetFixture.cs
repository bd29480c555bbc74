using System.Net;
using Dashboard.Proxy.Fleet;
using Dashboard.Proxy.Fleet.Manifest;
using Dashboard.Tests.Fleet;

namespace Dashboard.Tests.Cli;

/// <summary>
/// The fleet of the <c>tap</c> and <c>top</c> tests (pods on 127.46.x.y): the seed's services with their traffic
/// (test-2 → test-1 → ml), plus <see cref="Crashy"/>, a quiet deployment whose proxy a test may kill. No
/// Prometheus: tap reads the proxies alone. The tap token is in <see cref="TokenFile"/>.
/// </summary>
public sealed class TapCliFleetFixture : IAsyncLifetime
{
    public const string Crashy = "crashy";

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("dashboard-tap-cli-");

    public FleetHost Fleet { get; private set; } = null!;

    public string TokenFile => Path.Combine(_files.FullName, "tap-token");

    /// <summary><c>--server</c> and <c>--tap-token-file</c> for this fleet.</summary>
    public string[] Globals => ["--server", Fleet.ApiUrl.ToString().TrimEnd('/'), "--tap-token-file", TokenFile];

    public static FleetManifest Manifest { get; } = FleetFixture.Manifest with
    {
        Namespaces = [.. FleetFixture.Manifest.Namespaces.Select(n => n.Name != "default" ? n : n with
        {
            Deployments = [.. n.Deployments, new DeploymentSpec(Crashy, 1, true, [])],
        })],
    };

    /// <summary>The addresses (<c>ip:8080</c>) of a deployment's pods, as tap lines show destinations.</summary>
    public IReadOnlyList<string> Addresses(string deployment) =>
        [.. Fleet.Topology.ServicePods("default", deployment).Select(p => $"{p.Ip}:{FleetPod.AppPort}")];

    public IReadOnlyList<string> PodNames(string deployment) => [.. Fleet.Topology.ServicePods("default", deployment).Select(p => p.Name)];

    public Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync([.. args, .. Globals]);

    /// <summary>Runs a verb that streams until <paramref name="enough"/> holds of its output, then presses Ctrl-C.</summary>
    public Task<CliRun> RunUntilAsync(Func<string, bool> enough, params string[] args) => CliLiveRun.RunUntilAsync([.. args, .. Globals], enough);

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(TokenFile, FleetFixture.TapToken + "\n", TestTimeouts.Token);
        Fleet = await TestFleet.StartAsync(new FleetOptions
        {
            Manifest = Manifest,
            ApiListen = new IPEndPoint(IPAddress.Loopback, TestPorts.Free()),
            TapToken = FleetFixture.TapToken,
            IpSecondOctet = 46,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Fleet.DisposeAsync().Within(TestTimeouts.Slow);
        _files.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class TapCliFleetCollection : ICollectionFixture<TapCliFleetFixture>
{
    public const string Name = "tap-cli-fleet";
}
