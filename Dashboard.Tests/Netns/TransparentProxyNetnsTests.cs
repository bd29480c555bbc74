using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Tests.Identity;
using Dashboard.Tests.Packaging;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Netns;

/// <summary>
/// The real proxy, transparent, in a cluster of network namespaces: meshed pods ran <c>Dashboard.Proxy init</c> and run
/// the proxy as UID 2102; their apps know nothing of it (curl, and an HTTP app on two ports). The proxies discover the
/// cluster from a Kubernetes API the node serves at its bridge address, and get their certificates from the identity
/// endpoint (a process in the node's namespace) with their ServiceAccount tokens, which that API reviews.
/// </summary>
[Collection(NetnsCollection.Name)]
public sealed class TransparentProxyNetnsTests(TransparentProxyNetnsTests.Mesh mesh) : IClassFixture<TransparentProxyNetnsTests.Mesh>
{
    /// <summary>
    /// Meshed <c>client</c> and <c>web</c> (its app on 8080 behind Service <c>web</c>:80, and on 9090 behind Service
    /// <c>web-admin</c>:9090), an unmeshed <c>plain</c> (its app on 8080) that discovery does not know.
    /// </summary>
    public sealed class Mesh : IAsyncLifetime
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

        public async ValueTask InitializeAsync()
        {
            Cluster = await NetnsCluster.CreateAsync();
            Client = await Cluster.AddPodAsync("client");
            Web = await Cluster.AddPodAsync("web");
            Plain = await Cluster.AddPodAsync("plain");
            WebService = await Cluster.AddServiceAsync("web", "default", 80, 8080, Web);
            AdminService = await Cluster.AddServiceAsync("web-admin", "default", 9090, 9090, Web);

            // Read by the proxies as UID 2102: the directory a temporary one is made with (0700) would hide them.
            _files = Directory.CreateTempSubdirectory("netns-mesh-");
            if (OperatingSystem.IsLinux())
            {
                _files.UnixFileMode |= UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            }
            var store = new KubeStore();
            store.Upsert(Pod(Client));
            store.Upsert(Pod(Web));
            AddService(store, WebService, 8080, Web);
            AddService(store, AdminService, 9090, Web);
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

            foreach (var pod in new[] { Client, Web })
            {
                var init = await pod.ExecAsync(NetnsCommands.Proxy("init"), TestTimeouts.Slow);
                Assert.True(init.ExitCode == 0, $"init in {pod.Name} failed: {init.Output}");
                // As the proxy image runs it: MESH_PROXY_APP_ADDR baked in, which redirected connections must not heed.
                var proxy = Infrastructure.ProxyProcess.StartUnder(["ip", "netns", "exec", pod.Netns, .. NetnsCommands.AsUser(2102)],
                    new Dictionary<string, string>
                    {
                        [ProxyEnvironment.AppAddr] = ProxyEnvironment.DefaultAppAddr,
                        [ProxyEnvironment.KubernetesApi] = $"http://{NetnsCluster.Gateway}:{ApiPort}",
                        [ProxyEnvironment.PodName] = pod.Name,
                        [ProxyEnvironment.PodNamespace] = pod.Namespace,
                        [ProxyEnvironment.IdentityTrustAnchors] = _identity.Anchor.ExportCertificatePem(),
                        [ProxyEnvironment.IdentityLocalName] = Identity(pod),
                        [ProxyEnvironment.IdentityServiceAddr] = $"{NetnsCluster.Gateway}:{IdentityPort}",
                        [ProxyEnvironment.IdentityTokenFile] = File(Token(pod), Token(pod) + "\n"),
                    });
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

        private static V1Pod Pod(NetnsPod pod) => new()
        {
            Metadata = new()
            {
                Name = pod.Name,
                NamespaceProperty = pod.Namespace,
                Labels = new Dictionary<string, string> { ["app"] = pod.Name, ["linkerd.io/control-plane-ns"] = "linkerd" },
            },
            Spec = new() { ServiceAccountName = pod.Name },
            Status = new() { Phase = "Running", PodIP = pod.Address.ToString() },
        };

        private static void AddService(KubeStore store, NetnsService service, int targetPort, NetnsPod pod)
        {
            store.Upsert(new V1Service
            {
                Metadata = new() { Name = service.Name, NamespaceProperty = service.Namespace },
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
    }

    [Fact]
    public async Task An_app_calling_a_service_by_name_reaches_its_pod_through_both_proxies_over_mtls_with_destination_labels()
    {
        var path = "/orders/" + Guid.NewGuid().ToString("N");

        Assert.Equal($"web:8080 GET {path}", await CurlAsync(mesh.Client, $"http://{mesh.WebService.Host}{path}"));

        await Eventually(mesh.Client, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "outbound"),
            (LabelNames.DstService, "web"), (LabelNames.DstPod, "web"), (LabelNames.DstNamespace, "default"),
            (LabelNames.TargetAddr, mesh.Web.EndPoint(8080).ToString()), (LabelNames.Classification, "success"),
            (LabelNames.Tls, LabelNames.Values.TlsTrue), (LabelNames.ServerId, Mesh.Identity(mesh.Web))) >= 1, "the client's outbound response to web, over mTLS");
        await Eventually(mesh.Web, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "inbound"),
            (LabelNames.Authority, mesh.WebService.Host), (LabelNames.Classification, "success"),
            (LabelNames.Tls, LabelNames.Values.TlsTrue), (LabelNames.ClientId, Mesh.Identity(mesh.Client))) >= 1, "web's inbound response, from the client's identity");
    }

    [Fact]
    public async Task Each_port_of_a_meshed_pod_reaches_its_own_listener_whatever_MESH_PROXY_APP_ADDR_says()
    {
        Assert.Equal("web:9090 GET /admin", await CurlAsync(mesh.Client, $"http://{mesh.AdminService.Host}:9090/admin"));
        Assert.Equal("web:9090 GET /direct", await CurlAsync(mesh.Client, $"http://{mesh.Web.Address}:9090/direct"));
        Assert.Equal("web:8080 GET /app", await CurlAsync(mesh.Plain, $"http://{mesh.Web.Address}:8080/app"));

        await Eventually(mesh.Web, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "inbound"),
            (LabelNames.Authority, $"{mesh.AdminService.Host}:9090"), (LabelNames.TargetAddr, "127.0.0.1:9090"), (LabelNames.Classification, "success")) >= 1,
            "web's inbound series to its app's port 9090");
    }

    [Fact]
    public async Task A_pod_without_a_proxy_reaches_a_meshed_pod_through_its_service_in_plaintext()
    {
        Assert.Equal("web:8080 GET /from-plain", await CurlAsync(mesh.Plain, $"http://{mesh.WebService.Host}/from-plain"));

        await Eventually(mesh.Web, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "inbound"),
            (LabelNames.Authority, mesh.WebService.Host), (LabelNames.Classification, "success"),
            (LabelNames.Tls, LabelNames.Values.TlsNoIdentity), (LabelNames.NoTlsReason, LabelNames.Values.NoTlsFromRemote)) >= 1, "web's inbound response, plaintext");
    }

    [Fact]
    public async Task A_pod_address_names_that_pod_and_an_address_discovery_does_not_know_is_reached_unchanged_without_destination_labels()
    {
        Assert.Equal("web:8080 GET /by-ip", await CurlAsync(mesh.Client, $"http://{mesh.Web.Address}:8080/by-ip"));
        Assert.Equal("plain:8080 GET /unknown", await CurlAsync(mesh.Client, $"http://{mesh.Plain.Address}:8080/unknown"));

        var plain = mesh.Plain.EndPoint(8080).ToString();
        await Eventually(mesh.Client, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "outbound"),
            (LabelNames.DstPod, "web"), (LabelNames.DstService, ""), (LabelNames.TargetAddr, mesh.Web.EndPoint(8080).ToString())) >= 1 &&
            metrics.Series(MetricNames.ResponseTotal, (LabelNames.Direction, "outbound"), (LabelNames.TargetAddr, plain))
                .Any(s => s.Labels[LabelNames.DstPod] == "" && s.Labels[LabelNames.DstService] == "" && s.Labels[LabelNames.Authority] == plain),
            "the client's outbound series to web's pod address and to plain");
    }

    [Fact]
    public async Task A_caller_from_outside_cannot_reach_the_proxys_outbound_port_through_the_redirect()
    {
        var result = await mesh.Plain.ExecAsync(["curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
            "-H", $"Host: {mesh.WebService.Host}", $"http://{mesh.Client.Address}:4140/relay"]);

        Assert.Equal("403", result.StandardOutput);
    }

    /// <summary>Runs curl in <paramref name="pod"/> as root, an app the init container's rules apply to, and returns the body.</summary>
    private static async Task<string> CurlAsync(NetnsPod pod, string url)
    {
        var result = await pod.ExecAsync(["curl", "-sS", "--fail-with-body", "--max-time", "10", url]);
        Assert.True(result.ExitCode == 0, $"curl {url} from {pod.Name} failed (exit code {result.ExitCode}): {result.Output}");
        return result.StandardOutput;
    }

    private static Task Eventually(NetnsPod pod, Func<Infrastructure.MetricSet, bool> condition, string what) =>
        TestTimeouts.Eventually(async () =>
        {
            var scrape = await pod.ExecAsync(["curl", "-sf", "--max-time", "5", "http://127.0.0.1:4191/metrics"]);
            return scrape.ExitCode == 0 && condition(new Infrastructure.MetricSet(scrape.StandardOutput));
        }, what);
}
