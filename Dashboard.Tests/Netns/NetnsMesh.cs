using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Tests.Identity;
using Dashboard.Tests.Packaging;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Netns;

/// <summary>
/// A mesh in a cluster of network namespaces: meshed pods ran <c>Dashboard.Proxy init</c> and run the real proxy as UID
/// 2102; their apps know nothing of it. The proxies discover the cluster from a Kubernetes API the node serves at its
/// bridge address, and get their certificates from the identity endpoint (a process in the node's namespace) with their
/// ServiceAccount tokens, which that API reviews. Meshed <c>client</c> and <c>web</c>; an unmeshed <c>plain</c> (its app
/// on 8080) that discovery does not know. <c>web</c> runs an HTTP app on 8080 (Service <c>web</c>:80) and 9090 (Service
/// <c>web-admin</c>:9090), and TCP apps that are not HTTP: an echo server and one that speaks first, each on a port
/// detected (Services <c>echo</c>, <c>banner</c>) and on a port opaque by annotation (<c>echo-opaque</c>,
/// <c>banner-opaque</c>). Detection waits <see cref="DetectTimeout"/>, not 10 s, for the server that speaks first.
/// </summary>
public sealed class NetnsMesh : IAsyncLifetime
{
    private const int ApiPort = 6443;
    private const int IdentityPort = 8080;
    private readonly List<Infrastructure.ProxyProcess> _processes = [];
    private readonly TestMesh _identity = new();
    private DirectoryInfo _files = null!;

    internal NetnsCluster Cluster { get; private set; } = null!;
    internal NetnsPod Client { get; private set; } = null!;
    internal NetnsPod Web { get; private set; } = null!;
    internal NetnsPod Plain { get; private set; } = null!;
    internal NetnsService WebService { get; private set; } = null!;
    internal NetnsService AdminService { get; private set; } = null!;
    internal NetnsService EchoService { get; private set; } = null!;
    internal NetnsService OpaqueEchoService { get; private set; } = null!;
    internal NetnsService BannerService { get; private set; } = null!;
    internal NetnsService OpaqueBannerService { get; private set; } = null!;

    /// <summary>The proxies' <c>MESH_PROXY_DETECT_TIMEOUT</c>.</summary>
    internal const string DetectTimeout = "1s";

    /// <summary>Ports of <c>web</c>'s TCP apps: echo and a server that speaks first, detected and opaque.</summary>
    internal const int EchoPort = 7000, OpaqueEchoPort = 7001, BannerPort = 2525, OpaqueBannerPort = 2526;

    /// <summary>The value of <c>web</c>'s (and its opaque Services') <c>config.linkerd.io/opaque-ports</c>.</summary>
    private const string OpaquePorts = "7001,2526";

    public async ValueTask InitializeAsync()
    {
        Cluster = await NetnsCluster.CreateAsync();
        Client = await Cluster.AddPodAsync("client");
        Web = await Cluster.AddPodAsync("web");
        Plain = await Cluster.AddPodAsync("plain");
        WebService = await Cluster.AddServiceAsync("web", "default", 80, 8080, Web);
        AdminService = await Cluster.AddServiceAsync("web-admin", "default", 9090, 9090, Web);
        EchoService = await Cluster.AddServiceAsync("echo", "default", EchoPort, EchoPort, Web);
        OpaqueEchoService = await Cluster.AddServiceAsync("echo-opaque", "default", OpaqueEchoPort, OpaqueEchoPort, Web);
        BannerService = await Cluster.AddServiceAsync("banner", "default", BannerPort, BannerPort, Web);
        OpaqueBannerService = await Cluster.AddServiceAsync("banner-opaque", "default", OpaqueBannerPort, OpaqueBannerPort, Web);

        // Read by the proxies as UID 2102: the directory a temporary one is made with (0700) would hide them.
        _files = Directory.CreateTempSubdirectory("netns-mesh-");
        if (OperatingSystem.IsLinux())
        {
            _files.UnixFileMode |= UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        }
        var store = new KubeStore();
        store.Upsert(Pod(Client));
        store.Upsert(Pod(Web, OpaquePorts));
        AddService(store, WebService, 8080, Web);
        AddService(store, AdminService, 9090, Web);
        AddService(store, EchoService, EchoPort, Web);
        AddService(store, OpaqueEchoService, OpaqueEchoPort, Web, OpaquePorts);
        AddService(store, BannerService, BannerPort, Web);
        AddService(store, OpaqueBannerService, OpaqueBannerPort, Web, OpaquePorts);
        var api = new KubernetesApiServer(store, logger: NullLogger<KubernetesApiServer>.Instance);
        var tokens = FakeTokenReview.Handler(new Dictionary<string, string>
        {
            [Token(Client)] = $"system:serviceaccount:{Client.Namespace}:{Client.Name}",
            [Token(Web)] = $"system:serviceaccount:{Web.Namespace}:{Web.Name}",
        });
        Cluster.Own(await NetnsHttpHost.StartAsync(Cluster.Node, [new IPEndPoint(NetnsCluster.Gateway, ApiPort)],
            context => context.Request.Path == FakeTokenReview.Path ? tokens(context) : api.HandleAsync(context)));
        await StartIdentityAsync();
        Cluster.Own(await NetnsHttpHost.StartAsync(Web.Netns, [new IPEndPoint(IPAddress.Any, 8080), new IPEndPoint(IPAddress.Any, 9090)], App("web")));
        Cluster.Own(await NetnsHttpHost.StartAsync(Plain.Netns, [new IPEndPoint(IPAddress.Any, 8080)], App("plain")));
        Cluster.Own(NetnsTcpApp.Echo(Web.Netns, EchoPort));
        Cluster.Own(NetnsTcpApp.Echo(Web.Netns, OpaqueEchoPort));
        Cluster.Own(NetnsTcpApp.SpeaksFirst(Web.Netns, BannerPort, "banner"));
        Cluster.Own(NetnsTcpApp.SpeaksFirst(Web.Netns, OpaqueBannerPort, "banner-opaque"));

        foreach (var pod in new[] { Client, Web })
        {
            var init = await pod.ExecAsync(NetnsCommands.Proxy("init"), TestTimeouts.Slow);
            Assert.True(init.ExitCode == 0, $"init in {pod.Name} failed: {init.Output}");
            // As the proxy image runs it: MESH_PROXY_APP_ADDR baked in, which redirected connections must not heed.
            var environment = new Dictionary<string, string>
                {
                    [ProxyEnvironment.AppAddr] = ProxyEnvironment.DefaultAppAddr,
                    [ProxyEnvironment.KubernetesApi] = $"http://{NetnsCluster.Gateway}:{ApiPort}",
                    [ProxyEnvironment.PodName] = pod.Name,
                    [ProxyEnvironment.PodNamespace] = pod.Namespace,
                    [ProxyEnvironment.IdentityTrustAnchors] = _identity.Anchor.ExportCertificatePem(),
                    [ProxyEnvironment.IdentityLocalName] = Identity(pod),
                    [ProxyEnvironment.IdentityServiceAddr] = $"{NetnsCluster.Gateway}:{IdentityPort}",
                    [ProxyEnvironment.IdentityTokenFile] = File(Token(pod), Token(pod) + "\n"),
                    [ProxyEnvironment.DetectTimeout] = DetectTimeout,
                };
            if (pod == Web)
            {
                // As inject sets it from the pod's annotation.
                environment[ProxyEnvironment.InboundOpaquePorts] = OpaquePorts;
            }

            var proxy = Infrastructure.ProxyProcess.StartUnder(["ip", "netns", "exec", pod.Netns, .. NetnsCommands.AsUser(2102)], environment);
            _processes.Add(proxy);
            await TestTimeouts.Eventually(async () => (await pod.ExecAsync(["curl", "-sf", "--max-time", "2", "http://127.0.0.1:4191/ready"])).ExitCode == 0,
                $"the proxy in {pod.Name} to be ready (its output: {proxy.Output})", TestTimeouts.Slow);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await Cluster.DisposeAsync();
        _files.Delete(recursive: true);
    }

    internal static string Identity(NetnsPod pod) => IdentityNames.Format(pod.Name, pod.Namespace);

    private static string Token(NetnsPod pod) => "token-" + pod.Name;

    /// <summary>The identity endpoint, as the control plane runs it, in the node's namespace at its bridge address.</summary>
    private async Task StartIdentityAsync()
    {
        var identity = Infrastructure.ProxyProcess.StartUnder(["ip", "netns", "exec", Cluster.Node], new Dictionary<string, string>
        {
            [IdentityEnvironment.ListenAddr] = $"{NetnsCluster.Gateway}:{IdentityPort}",
            [IdentityEnvironment.TrustAnchorsFile] = File("ca-bundle.crt", _identity.Anchor.ExportCertificatePem()),
            [IdentityEnvironment.IssuerCertificateFile] = File("tls.crt", _identity.Authority.Issuer.ExportCertificatePem()),
            [IdentityEnvironment.IssuerKeyFile] = File("tls.key", _identity.Authority.Issuer.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()),
            [IdentityEnvironment.KubernetesApi] = $"http://{NetnsCluster.Gateway}:{ApiPort}",
        }, "identity");
        _processes.Add(identity);
        await TestTimeouts.Eventually(async () => (await Tool.RunAsync("ip", ["netns", "exec", Cluster.Node, "curl", "-skf", "--max-time", "2",
            $"https://{NetnsCluster.Gateway}:{IdentityPort}/ready"], TestTimeouts.Default)).ExitCode == 0,
            $"the identity endpoint to be ready (its output: {identity.Output})", TestTimeouts.Slow);
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(_files.FullName, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>An app answering with its name, the port the request arrived on, and the request line.</summary>
    private static RequestDelegate App(string name) => context =>
        context.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{name}:{context.Connection.LocalPort} {context.Request.Method} {context.Request.Path}"));

    private static V1Pod Pod(NetnsPod pod, string? opaquePorts = null) => new()
    {
        Metadata = new()
        {
            Name = pod.Name,
            NamespaceProperty = pod.Namespace,
            Labels = new Dictionary<string, string> { ["app"] = pod.Name, ["linkerd.io/control-plane-ns"] = "linkerd" },
            Annotations = Annotations(opaquePorts),
        },
        Spec = new() { ServiceAccountName = pod.Name },
        Status = new() { Phase = "Running", PodIP = pod.Address.ToString() },
    };

    private static Dictionary<string, string>? Annotations(string? opaquePorts) =>
        opaquePorts is null ? null : new Dictionary<string, string> { [ProxyAnnotations.OpaquePorts] = opaquePorts };

    private static void AddService(KubeStore store, NetnsService service, int targetPort, NetnsPod pod, string? opaquePorts = null)
    {
        store.Upsert(new V1Service
        {
            Metadata = new() { Name = service.Name, NamespaceProperty = service.Namespace, Annotations = Annotations(opaquePorts) },
            Spec = new()
            {
                ClusterIP = service.ClusterIP.ToString(),
                Ports = [new V1ServicePort { Name = "http", Port = service.Port, TargetPort = targetPort }],
            },
        });
        store.Upsert(new V1EndpointSlice
        {
            Metadata = new() { Name = service.Name + "-1", NamespaceProperty = service.Namespace, Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service.Name } },
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Name = "http", Port = targetPort }],
            Endpoints = [new V1Endpoint
            {
                Addresses = [pod.Address.ToString()],
                Conditions = new V1EndpointConditions { Ready = true },
                TargetRef = new V1ObjectReference { Kind = "Pod", Name = pod.Name, NamespaceProperty = pod.Namespace },
            }],
        });
    }

    /// <summary>Runs curl in <paramref name="pod"/> as root, an app the init container's rules apply to, and returns the body.</summary>
    internal static async Task<string> CurlAsync(NetnsPod pod, string url)
    {
        var result = await pod.ExecAsync(["curl", "-sS", "--fail-with-body", "--max-time", "10", url]);
        Assert.True(result.ExitCode == 0, $"curl {url} from {pod.Name} failed (exit code {result.ExitCode}): {result.Output}");
        return result.StandardOutput;
    }

    /// <summary>The metrics of <paramref name="pod"/>'s proxy, scraped from inside the pod; null when the scrape failed.</summary>
    internal static async Task<Infrastructure.MetricSet?> ScrapeAsync(NetnsPod pod)
    {
        var scrape = await pod.ExecAsync(["curl", "-sf", "--max-time", "5", "http://127.0.0.1:4191/metrics"]);
        return scrape.ExitCode == 0 ? new Infrastructure.MetricSet(scrape.StandardOutput) : null;
    }

    /// <summary>Scrapes <paramref name="pod"/>'s proxy until its metrics satisfy <paramref name="condition"/>.</summary>
    internal static Task Eventually(NetnsPod pod, Func<Infrastructure.MetricSet, bool> condition, string what) =>
        TestTimeouts.Eventually(async () => await ScrapeAsync(pod) is { } metrics && condition(metrics), what);
}
