using Dashboard.Proxy.Fleet.Manifest;
using Dashboard.Tests.Fleet;

namespace Dashboard.Tests.Cli;

/// <summary>
/// The shared fleet and Prometheus of the CLI's tests (pods on 127.45.x.y), with the arguments that point a
/// verb at them. Classes that use it share one collection, so one fleet serves them all.
/// </summary>
public sealed class CliFleetFixture : FleetFixture
{
    /// <summary>A control-plane namespace for <c>open -L control</c>: a Service "dashboard" over one (demo app) pod.</summary>
    public const string ControlNamespace = "control";

    private Task<DashboardProcess>? _dashboard;

    protected override byte IpOctet => 45;

    protected override FleetManifest FleetManifest => Manifest with
    {
        Namespaces = [.. Manifest.Namespaces, new NamespaceSpec(ControlNamespace, [new DeploymentSpec("dashboard", 1, false, [])], [])],
    };

    /// <summary><c>--server</c>, <c>--prometheus</c> and a <c>--dashboard-url</c> where nothing listens.</summary>
    public string[] Globals => ["--server", Api.ToString().TrimEnd('/'), "--prometheus", Prometheus.Url.ToString().TrimEnd('/'), "--dashboard-url", $"http://127.0.0.1:{TestPorts.Free()}"];

    public Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync([.. args, .. Globals]);

    /// <summary>A dashboard process (<c>dashboard serve</c>) on this fleet, started on first use: the control plane run locally.</summary>
    public Task<DashboardProcess> DashboardAsync() => _dashboard is { IsFaulted: false, IsCanceled: false } started ? started : _dashboard = DashboardProcess.StartAsync(new Dictionary<string, string>
    {
        ["Prometheus:Url"] = Prometheus.Url.ToString(),
        ["Prometheus:ScrapeInterval"] = "1s",
        ["Kubernetes:Url"] = Api.ToString(),
    });

    public override async ValueTask DisposeAsync()
    {
        if (_dashboard is { IsCompletedSuccessfully: true })
        {
            await (await _dashboard).DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Waits until Prometheus holds a full <paramref name="seconds"/> window of scrapes of every meshed pod.</summary>
    public Task WaitForWindowAsync(int seconds) => TestTimeouts.Eventually(async () => await Prometheus.ValueAsync(
        $$"""min(count_over_time(response_total{direction="inbound", namespace="default"}[{{seconds * 2}}s]))""") >= seconds + 4,
        $"a full {seconds}s window of scrapes", TimeSpan.FromSeconds(seconds + 60));
}

[CollectionDefinition(Name)]
public sealed class CliFleetCollection : ICollectionFixture<CliFleetFixture>
{
    public const string Name = "cli-fleet";
}
