using System.Net;
using Dashboard.Proxy.Fleet;
using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Tests.Fleet;

/// <summary>
/// A running fleet (the seed's services, an unmeshed deployment, bare pods, two traffic sources) and a real
/// Prometheus discovering its pods through <c>/fleet/sd</c>, scraping every second.
/// </summary>
public class FleetFixture : IAsyncLifetime
{
    public const string TapToken = "fleet-test-token";
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    /// <summary>Addresses 127.N.x.y of this fixture's pods: distinct from a developer's running fleet (127.10).</summary>
    protected virtual byte IpOctet => 21;

    /// <summary>The manifest this fixture runs; <see cref="Manifest"/> unless a fixture needs other traffic.</summary>
    protected virtual FleetManifest FleetManifest => Manifest;

    // Null until InitializeAsync has started them: a failed start disposes what did start.
    public FleetHost Fleet { get; private set; } = null!;
    public PrometheusServer Prometheus { get; private set; } = null!;
    public Uri Api => Fleet.ApiUrl;

    public static FleetManifest Manifest { get; } = new(
        [
            new NamespaceSpec("default",
            [
                new DeploymentSpec("ml", 2, true, [new RouteSpec("POST", "/v1/test-1", new LatencySpec(4, 20), 0.05, [])]),
                new DeploymentSpec("test-1", 1, true, [new RouteSpec("POST", "/v1/test-2", new LatencySpec(3, 10), 0, [new CallSpec("ml", "POST", "/v1/test-1")])]),
                new DeploymentSpec("test-2", 1, true, [new RouteSpec("POST", "/v1/test-2", new LatencySpec(2, 8), 0, [new CallSpec("test-1", "POST", "/v1/test-2")])]),
                new DeploymentSpec("legacy", 1, false, []),
            ],
            [new BarePodSpec("grafana-0", false, "Running"), new BarePodSpec("migrate-db-x7k2p", false, "Succeeded")]),
        ],
        [
            new TrafficSpec("internal", "default/test-1", "ml.default", "POST", "/v1/test-1", 8, null),
            new TrafficSpec("external", TrafficSpec.External, "test-2.default", "POST", "/v1/test-2", 4, null),
            new TrafficSpec("legacy", TrafficSpec.External, "legacy.default", "GET", "/", 2, null),
        ]);

    public virtual async ValueTask InitializeAsync()
    {
        Fleet = await TestFleet.StartAsync(new FleetOptions
        {
            Manifest = FleetManifest,
            ApiListen = new IPEndPoint(IPAddress.Loopback, TestPorts.Free()),
            TapToken = TapToken,
            IpSecondOctet = IpOctet,
        });
        Prometheus = await PrometheusServer.StartAsync($"""
              - job_name: fleet
                http_sd_configs:
                  - url: {Api}fleet/sd
                    refresh_interval: 1s
            """, $"{ScrapeInterval.TotalSeconds}s");
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Prometheus is { } prometheus)
        {
            await prometheus.DisposeAsync();
        }

        if (Fleet is { } fleet)
        {
            await fleet.DisposeAsync().Within(TestTimeouts.Slow);
        }
        GC.SuppressFinalize(this);
    }
}
