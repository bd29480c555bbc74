using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Configuration;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.IdentityService;
using Dashboard.Tap;
using Dashboard.Tests.Packaging;
using Dashboard.Tests.Identity;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Cli;

/// <summary>
/// What <c>install</c> and <c>inject</c> write, run as a cluster would run it: the identity endpoint started from the
/// installed Deployment's environment and the files of its ConfigMap and Secret volumes, and a proxy from an injected
/// Deployment's container (downward API and <c>$(VAR)</c> expanded as the kubelet does, the projected token written
/// where the volume puts it) obtaining its certificate. The one stand-in is the Kubernetes TokenReview API.
/// </summary>
public sealed class InstalledIdentityTests : IDisposable
{
    private const string App = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              serviceAccountName: web
              containers:
                - name: web
                  image: nginx:1.27
        """;

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("dashboard-installed-");

    public void Dispose() => _files.Delete(recursive: true);

    /// <summary>The objects <c>install</c> prints for <paramref name="controlPlane"/>, their trust anchors, and the pod of the app injected under them.</summary>
    private async Task<(IList<object> Installed, string Anchors, V1PodSpec Pod)> InstallAndInjectAsync(string controlPlane)
    {
        var installed = KubernetesYaml.LoadAllFromString((await CliRun.RunAsync("install", "--namespace", controlPlane)).Out);
        var anchors = installed.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == IdentityResources.TrustRootsConfigMap).Data[IdentityResources.TrustRootsKey];
        var anchorsFile = Path.Combine(_files.FullName, "anchors.crt");
        await File.WriteAllTextAsync(anchorsFile, anchors, TestTimeouts.Token);
        var injected = await CliRun.RunAsync(["inject", "-", "-L", controlPlane, "--identity-trust-anchors-file", anchorsFile], App);
        var pod = Assert.IsType<V1Deployment>(KubernetesYaml.LoadAllFromString(injected.Out).Single()).Spec.Template.Spec;
        return (installed, anchors, pod);
    }

    [Theory]
    [InlineData("linkerd")]
    [InlineData("mesh")]
    public async Task An_injected_proxy_obtains_its_certificate_from_the_installed_identity_endpoint(string controlPlane)
    {
        var (installed, anchors, pod) = await InstallAndInjectAsync(controlPlane);

        await using var kubernetes = await FakeTokenReview.StartAsync(new Dictionary<string, string> { ["token-web"] = "system:serviceaccount:shop:web" });
        await using var endpoint = await StartEndpointAsync(installed, controlPlane, kubernetes.Url);
        var proxyEnv = InjectedEnvironment(pod, "shop", endpoint.BoundEndPoint.ToString(), controlPlane);
        await using var proxy = await TestProxy.StartAsync("127.0.0.1:9", proxyEnv);
        await proxy.Instance.Identity!.WaitForCertificateAsync(TestTimeouts.Token).Within();

        var certificate = proxy.Instance.Identity.Current!.Certificate;
        Assert.Equal("web.shop.serviceaccount.identity.cluster.local", IdentityNames.Of(certificate));
        using var chain = new X509Chain { ChainPolicy = { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck } };
        chain.ChainPolicy.CustomTrustStore.AddRange(MeshCertificates.ReadPem(anchors, "the installed trust anchors"));
        chain.ChainPolicy.ExtraStore.AddRange(proxy.Instance.Identity.Current.Intermediates);
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(["token-web"], kubernetes.Reviewed);
    }

    [Theory]
    [InlineData("linkerd")]
    [InlineData("mesh")]
    public async Task The_installed_dashboard_obtains_its_certificate_and_taps_an_injected_proxy_by_identity(string controlPlane)
    {
        var (installed, anchors, pod) = await InstallAndInjectAsync(controlPlane);
        await using var kubernetes = await FakeTokenReview.StartAsync(new Dictionary<string, string>
        {
            ["token-web"] = "system:serviceaccount:shop:web",
            ["token-dashboard"] = $"system:serviceaccount:{controlPlane}:dashboard",
        });
        await using var endpoint = await StartEndpointAsync(installed, controlPlane, kubernetes.Url);
        await using var app = await Upstream.StartAsync(c => c.Response.WriteAsync("from web"));
        await using var proxy = await TestProxy.StartAsync(app.Address, InjectedEnvironment(pod, "shop", endpoint.BoundEndPoint.ToString(), controlPlane));
        await proxy.Instance.Identity!.WaitForCertificateAsync(TestTimeouts.Token).Within();

        var settings = InstalledDashboardSettings(installed, controlPlane, endpoint.BoundEndPoint.ToString());
        await using var identity = new TapClientIdentity(settings, TimeProvider.System, NullLogger<WorkloadIdentity>.Instance);
        await identity.StartAsync(TestTimeouts.Token);
        await identity.Identity!.WaitForCertificateAsync(TestTimeouts.Token).Within();
        var target = new TapTarget("shop", "web-0", proxy.TapHubUrl) { ServiceAccount = pod.ServiceAccountName };
        var session = new TapSession(new TapQuery { Namespace = "shop" }, new TapTargets([target], []),
            new TapConnectionOptions(Token: null) { Identity = identity.Identity }, TimeProvider.System, NullLogger.Instance);
        session.Start();
        await using var tap = new Tap.TapRecorder(session);

        await tap.UntilPodAsync("web-0", p => p.State == TapPodState.Streaming, "the installed dashboard's tap to stream");
        Assert.Equal($"dashboard.{controlPlane}.serviceaccount.identity.cluster.local", IdentityNames.Of(identity.Identity.Current!.Certificate));
        Assert.Equal(["token-dashboard", "token-web"], kubernetes.Reviewed.Order(StringComparer.Ordinal));
    }

    /// <summary>The installed dashboard's settings from its container's environment, its identity files written as its volumes hold them.</summary>
    private DashboardSettings InstalledDashboardSettings(IList<object> installed, string controlPlane, string endpoint)
    {
        var deployment = installed.OfType<V1Deployment>().Single(d => d.Metadata.Name == "dashboard");
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        var env = new Dictionary<string, string>();
        foreach (var variable in container.Env)
        {
            if (variable.Value is { } value)
            {
                env[variable.Name] = value;
            }
            else if (variable.ValueFrom.ConfigMapKeyRef is { } map)
            {
                env[variable.Name] = installed.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == map.Name && c.Metadata.NamespaceProperty == controlPlane).Data[map.Key];
            }
        }

        var address = ConfigKeys.EnvironmentVariable(ConfigKeys.IdentityServiceAddress);
        Assert.Equal($"linkerd-identity.{controlPlane}.svc.cluster.local:8080", env[address]);
        env[address] = endpoint;
        var tokenFile = ConfigKeys.EnvironmentVariable(ConfigKeys.IdentityTokenFile);
        var path = Path.Combine(_files.FullName, "dashboard") + env[tokenFile];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "token-dashboard");
        env[tokenFile] = path;
        var (settings, errors) = DashboardEnvironmentVariables.Parse(env, new DashboardEnvironment(controlPlane, IsInCluster: true));
        Assert.True(settings is not null, string.Join("\n", errors));
        return settings;
    }

    /// <summary>The installed identity Deployment's container, its volumes' files written under a temporary folder.</summary>
    private async Task<IdentityServiceHost> StartEndpointAsync(IList<object> installed, string controlPlane, Uri kubernetes)
    {
        var deployment = installed.OfType<V1Deployment>().Single(d => d.Metadata.Name == "linkerd-identity");
        Assert.Equal(controlPlane, deployment.Metadata.NamespaceProperty);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal(["identity"], container.Args);
        var service = installed.OfType<V1Service>().Single(s => s.Metadata.Name == "linkerd-identity" && s.Metadata.NamespaceProperty == controlPlane);
        Assert.Equal((8080, 8080), (service.Spec.Ports.Single().Port, container.Ports.Single(p => p.Name == service.Spec.Ports.Single().TargetPort.Value).ContainerPort));
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        foreach (var mount in container.VolumeMounts)
        {
            var volume = deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
            var files = volume.ConfigMap is { } map
                ? installed.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == map.Name && c.Metadata.NamespaceProperty == controlPlane).Data
                : volume.Secret is { } secret
                    ? installed.OfType<V1Secret>().Single(s => s.Metadata.Name == secret.SecretName && s.Metadata.NamespaceProperty == controlPlane).Data
                        .ToDictionary(d => d.Key, d => Encoding.ASCII.GetString(d.Value))
                    : new Dictionary<string, string>();
            var directory = Directory.CreateDirectory(_files.FullName + mount.MountPath).FullName;
            foreach (var (name, text) in files)
            {
                await File.WriteAllTextAsync(Path.Combine(directory, name), text, TestTimeouts.Token);
            }

            foreach (var variable in container.Env.Where(e => e.Value?.StartsWith(mount.MountPath + "/", StringComparison.Ordinal) == true))
            {
                env[variable.Name] = _files.FullName + variable.Value;
            }
        }

        env[IdentityEnvironment.ListenAddr] = "127.0.0.1:0";
        env[IdentityEnvironment.KubernetesApi] = kubernetes.ToString();
        var (options, errors) = IdentityServiceOptionsParser.Parse(env.GetValueOrDefault);
        Assert.True(options is not null, string.Join("; ", errors));
        return await IdentityServiceHost.StartAsync(options, logging: TestLog.For("identity").AddTo, cancellationToken: TestTimeouts.Token).Within();
    }

    /// <summary>
    /// The injected proxy's identity variables as the kubelet gives them; the identity endpoint's Service name, which only
    /// a cluster's DNS resolves, is checked and then replaced by the endpoint's address here.
    /// </summary>
    private Dictionary<string, string> InjectedEnvironment(V1PodSpec pod, string ns, string endpoint, string controlPlane)
    {
        var proxy = pod.Containers.Single(c => c.Name == "linkerd-proxy");
        var env = new Dictionary<string, string>();
        foreach (var variable in proxy.Env)
        {
            env[variable.Name] = variable.ValueFrom?.FieldRef?.FieldPath switch
            {
                "metadata.namespace" => ns,
                "metadata.name" => "web-5d8f7c9b4-x2x7q",
                "spec.serviceAccountName" => pod.ServiceAccountName,
                null => Regex.Replace(variable.Value, @"\$\((\w+)\)", m => env[m.Groups[1].Value]),
                var other => throw new InvalidOperationException($"unexpected fieldRef {other}"),
            };
        }

        // The projected token, where the volume mounts it.
        var mount = Assert.Single(proxy.VolumeMounts, m => pod.Volumes.Single(v => v.Name == m.Name).Projected is not null);
        var token = Assert.Single(pod.Volumes.Single(v => v.Name == mount.Name).Projected.Sources).ServiceAccountToken;
        Assert.Equal(IdentityResources.TokenAudience, token.Audience);
        Assert.Equal($"{mount.MountPath}/{token.Path}", env[ProxyEnvironment.IdentityTokenFile]);
        var tokenFile = Path.Combine(Directory.CreateDirectory(_files.FullName + mount.MountPath).FullName, token.Path);
        File.WriteAllText(tokenFile, "token-web");
        env[ProxyEnvironment.IdentityTokenFile] = tokenFile;

        Assert.Equal($"linkerd-identity.{controlPlane}.svc.cluster.local:8080", env[ProxyEnvironment.IdentityServiceAddr]);
        env[ProxyEnvironment.IdentityServiceAddr] = endpoint;
        // The listeners stay the test proxy's own (loopback, port 0).
        return env.Where(e => e.Key.StartsWith("MESH_PROXY_IDENTITY_", StringComparison.Ordinal) || e.Key is ProxyEnvironment.PodName or ProxyEnvironment.PodNamespace or ProxyEnvironment.TapServiceName)
            .ToDictionary();
    }
}
