using System.Net;
using Dashboard.Proxy.Fleet;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Proxy.Fleet.Manifest;
using Dashboard.Tests.Fleet;
using k8s.Models;

namespace Dashboard.Tests.Cli;

/// <summary>
/// The fleet of the <c>tap</c> and <c>top</c> tests (pods on 127.46.x.y): the seed's services with their traffic
/// (test-2 → test-1 → ml), plus <see cref="Crashy"/>, a quiet deployment whose proxy a test may kill. No
/// Prometheus: tap reads the proxies alone. A dashboard process taps for the CLI (<see cref="Globals"/>); with
/// <see cref="DirectGlobals"/> the CLI taps the proxies itself, with the tap token in <see cref="TokenFile"/>. The
/// fleet's API knows two token users, <see cref="Jane"/> and <see cref="Joe"/>, neither bound to the tap role, and
/// namespace <see cref="ControlNamespace"/> holds a Service "dashboard" over a pod whose address is the dashboard's.
/// </summary>
public sealed class TapCliFleetFixture : IAsyncLifetime
{
    public const string Crashy = "crashy";
    public const string Jane = "jane";
    public const string Joe = "joe";

    /// <summary>A control-plane namespace for <c>-L</c>: the CLI finds the dashboard's pod there and port-forwards to it.</summary>
    public const string ControlNamespace = "tap-control";

    /// <summary>The dashboard pod's address in the fleet: the dashboard process listens there too.</summary>
    private static readonly IPAddress DashboardPodIp = IPAddress.Parse("127.46.250.1");

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("dashboard-tap-cli-");

    public FleetHost Fleet { get; private set; } = null!;

    public DashboardProcess Dashboard { get; private set; } = null!;

    public string TokenFile => Path.Combine(_files.FullName, "tap-token");

    /// <summary><c>--server</c> and <c>--dashboard-url</c> for this fleet: tap through the dashboard, as anonymous.</summary>
    public string[] Globals => ["--server", Fleet.ApiUrl.ToString().TrimEnd('/'), "--dashboard-url", Dashboard.Url.ToString()];

    /// <summary><c>--server</c>, <c>--direct</c> and <c>--tap-token-file</c>: tap the proxies from here.</summary>
    public string[] DirectGlobals => ["--server", Fleet.ApiUrl.ToString().TrimEnd('/'), "--direct", "--tap-token-file", TokenFile];

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

    public Task<CliRun> RunDirectAsync(params string[] args) => CliRun.RunAsync([.. args, .. DirectGlobals]);

    /// <summary>Runs a verb that streams until <paramref name="enough"/> holds of its output, then presses Ctrl-C.</summary>
    public Task<CliRun> RunUntilAsync(Func<string, bool> enough, params string[] args) => CliLiveRun.RunUntilAsync([.. args, .. Globals], enough);

    public Task<CliRun> RunDirectUntilAsync(Func<string, bool> enough, params string[] args) => CliLiveRun.RunUntilAsync([.. args, .. DirectGlobals], enough);

    /// <summary>A kubeconfig whose user authenticates to the fleet's API with <paramref name="user"/>'s token.</summary>
    public string Kubeconfig(string user) => WriteKubeconfig(user, $"token: {user}-token");

    /// <summary>A kubeconfig whose user has a client certificate (self-signed) and no token.</summary>
    public string CertificateKubeconfig()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=cert-user", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        static string Base64(string pem) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));
        return WriteKubeconfig("cert-user", $"client-certificate-data: {Base64(certificate.ExportCertificatePem())}\n    client-key-data: {Base64(key.ExportPkcs8PrivateKeyPem())}");
    }

    private string WriteKubeconfig(string user, string credentials)
    {
        var file = Path.Combine(_files.FullName, $"kubeconfig-{user}");
        File.WriteAllText(file, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fleet
              cluster:
                server: {Fleet.ApiUrl.ToString().TrimEnd('/')}
            users:
            - name: {user}
              user:
                {credentials}
            contexts:
            - name: {user}
              context:
                cluster: fleet
                user: {user}
                namespace: default
            current-context: {user}
            """);
        return file;
    }

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(TokenFile, FleetFixture.TapToken + "\n", TestTimeouts.Token);
        Fleet = await TestFleet.StartAsync(new FleetOptions
        {
            Manifest = Manifest,
            ApiListen = new IPEndPoint(IPAddress.Loopback, TestPorts.Free()),
            TapToken = FleetFixture.TapToken,
            IpSecondOctet = 46,
            Tokens = KubeTokenFile.Parse($"{Jane}-token,{Jane},u-{Jane},\"devs\"\n{Joe}-token,{Joe},u-{Joe}\n", "the test's tokens"),
        });
        Dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kubernetes:Url"] = Fleet.ApiUrl.ToString(),
            ["Tap:Token"] = FleetFixture.TapToken,
            ["Prometheus:Url"] = $"http://127.0.0.1:{TestPorts.Free()}",
        }, DashboardPodIp);
        PublishDashboardPod();
    }

    public async ValueTask DisposeAsync()
    {
        if (Dashboard is not null)
        {
            await Dashboard.DisposeAsync();
        }

        await Fleet.DisposeAsync().Within(TestTimeouts.Slow);
        _files.Delete(recursive: true);
    }

    /// <summary>The control plane as <c>install</c> leaves it, as far as the CLI looks: Service "dashboard" over a ready pod.</summary>
    private void PublishDashboardPod()
    {
        var labels = new Dictionary<string, string> { ["app"] = "dashboard" };
        var store = Fleet.Store;
        store.Upsert(new V1Namespace { Metadata = new() { Name = ControlNamespace }, Status = new() { Phase = "Active" } });
        store.Upsert(new V1Service
        {
            Metadata = new() { Name = "dashboard", NamespaceProperty = ControlNamespace },
            Spec = new() { Selector = labels, Ports = [new V1ServicePort { Name = "http", Port = 8084, TargetPort = Dashboard.Url.Port }] },
        });
        store.Upsert(new V1Pod
        {
            Metadata = new() { Name = "dashboard-0", NamespaceProperty = ControlNamespace, Labels = labels },
            Spec = new() { Containers = [new V1Container { Name = "dashboard", Image = "dashboard" }] },
            Status = new()
            {
                Phase = "Running",
                PodIP = DashboardPodIp.ToString(),
                Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
            },
        });
    }
}

[CollectionDefinition(Name)]
public sealed class TapCliFleetCollection : ICollectionFixture<TapCliFleetFixture>
{
    public const string Name = "tap-cli-fleet";
}
