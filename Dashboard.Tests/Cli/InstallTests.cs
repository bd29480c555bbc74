using System.Security.Cryptography.X509Certificates;
using System.Text;
using Dashboard.Cli;
using Dashboard.Cli.Check;
using Dashboard.Cli.Install;
using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Identity;
using Dashboard.Hosting;
using Dashboard.Tests.Packaging;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Cli;

/// <summary><c>install</c>, run in-process: the manifests of docker/kubernetes as one stream, adapted to its options, read back as typed objects.</summary>
public sealed class InstallTests : IDisposable
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("dashboard-install-");

    public void Dispose() => _files.Delete(recursive: true);

    [Fact]
    public void The_binary_carries_docker_kubernetes_to_the_byte()
    {
        var files = Directory.GetFiles(Packaged.Kubernetes, "*.yaml").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f)));

        Assert.Equal(files, ControlPlaneManifests.Files);
    }

    [Fact]
    public async Task Without_options_every_manifest_is_printed_unchanged_with_a_fresh_identity_and_tap_token_after_the_namespace()
    {
        var run = await CliRun.RunAsync("install");

        Assert.Equal((ExitCodes.Success, ""), (run.ExitCode, run.Error));
        foreach (var (file, text) in ControlPlaneManifests.Files)
        {
            Assert.True(run.Out.Contains(text.TrimEnd('\n'), StringComparison.Ordinal), $"{file} is in the output as it is");
        }

        var objects = KubernetesYaml.LoadAllFromString(run.Out);
        var generated = new[] { $"ConfigMap/{IdentityResources.TrustRootsConfigMap}", $"Secret/{IdentityResources.IssuerSecret}", "Secret/tap-token" };
        Assert.Equal(["Namespace/linkerd", .. generated], objects.Take(4).Select(Name));
        Assert.Equal(Packaged.Manifests().Sum(m => m.Objects.Count) + 3, objects.Count);

        var (anchors, issuer) = Identity(objects);
        Assert.All(IdentityChecks.Run(new IdentityMaterial(anchors.ExportCertificatePem(), issuer.ExportCertificatePem()), [], DateTimeOffset.UtcNow),
            r => Assert.Equal(CheckStatus.Ok, r.Status));
        Assert.True(issuer.HasPrivateKey);
        Assert.InRange(issuer.NotAfter - DateTime.Now, TimeSpan.FromDays(364), TimeSpan.FromDays(366));
        Assert.Matches("^[0-9a-f]{64}$", Encoding.ASCII.GetString(Secret(objects, "tap-token").Data["token"]));

        // Each install is its own mesh.
        var again = KubernetesYaml.LoadAllFromString((await CliRun.RunAsync("install")).Out);
        Assert.NotEqual(anchors.Thumbprint, Identity(again).Anchors.Thumbprint);
        Assert.NotEqual(Secret(objects, "tap-token").Data["token"], Secret(again, "tap-token").Data["token"]);
    }

    [Fact]
    public async Task Another_namespace_moves_every_object_subject_and_in_cluster_name()
    {
        var run = await CliRun.RunAsync("install", "--namespace", "mesh");

        var objects = KubernetesYaml.LoadAllFromString(run.Out).OfType<IKubernetesObject<V1ObjectMeta>>().ToList();
        Assert.Equal("mesh", Assert.Single(objects.OfType<V1Namespace>()).Metadata.Name);
        Assert.All(objects.Where(o => o is not (V1Namespace or V1ClusterRole or V1ClusterRoleBinding)), o => Assert.Equal("mesh", o.Metadata.NamespaceProperty));
        Assert.All(objects.OfType<V1ClusterRoleBinding>().SelectMany(b => b.Subjects), s => Assert.Equal("mesh", s.NamespaceProperty));
        var identity = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "linkerd-identity").Spec.Template.Spec.Containers[0];
        Assert.Equal("linkerd-identity.mesh.serviceaccount.identity.cluster.local", identity.Env.Single(e => e.Name == IdentityEnvironment.LocalName).Value);
        // The destination service moves with it: its own identity, and the identity endpoint it asks, are the new namespace's.
        var destination = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == DestinationEnvironment.ServiceName).Spec.Template.Spec.Containers[0].Env
            .Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("linkerd-destination.mesh.serviceaccount.identity.cluster.local", destination[DestinationEnvironment.IdentityLocalName]);
        Assert.Equal("linkerd-identity.mesh.svc.cluster.local:8080", destination[DestinationEnvironment.IdentityServiceAddr]);
        Assert.Equal("linkerd-identity.mesh.serviceaccount.identity.cluster.local", destination[DestinationEnvironment.IdentityServiceName]);
        Assert.DoesNotContain(".linkerd.svc", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("namespace: linkerd", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prometheus_of_ones_own_leaves_the_bundled_one_out_and_the_dashboard_and_grafana_read_it()
    {
        const string url = "http://prometheus.monitoring.svc.cluster.local:9090";
        var run = await CliRun.RunAsync("install", "--prometheus-url", url);

        var objects = KubernetesYaml.LoadAllFromString(run.Out).OfType<IKubernetesObject<V1ObjectMeta>>().ToList();
        Assert.DoesNotContain(objects, o => o.Metadata.Labels?.TryGetValue("app.kubernetes.io/name", out var name) == true && name == "prometheus");
        Assert.Equal(["dashboard", "grafana", "linkerd-destination", "linkerd-identity"], objects.OfType<V1Deployment>().Select(d => d.Metadata.Name).Order());
        var dashboard = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "dashboard").Spec.Template.Spec.Containers[0];
        Assert.Equal(url, dashboard.Env.Single(e => e.Name == "Dashboard__Prometheus__Url").Value);
        var datasources = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "grafana-provisioning").Data["datasources.yaml"];
        Assert.Equal(url, Packaged.Yaml(datasources).Text("datasources", 0, "url"));
        Assert.All(objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers).Where(c => c.Image.StartsWith("dashboard/", StringComparison.Ordinal)),
            c => Assert.EndsWith(":" + BuildVersion.Current, c.Image, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_identity_files_are_written_as_they_are_and_an_issuer_near_its_end_is_a_warning()
    {
        var now = DateTimeOffset.UtcNow;
        using var anchor = MeshCertificates.CreateTrustAnchor("cluster.local", now.AddDays(-1), now.AddDays(400));
        using var issuer = MeshCertificates.CreateIssuer(anchor, "cluster.local", now.AddDays(-1), now.AddDays(30));
        var args = Files(anchor, issuer);

        var run = await CliRun.RunAsync(["install", .. args]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith("warning: issuer cert is valid for at least 60 days: CN=identity.cluster.local expires at ", run.Error, StringComparison.Ordinal);
        var (writtenAnchor, writtenIssuer) = Identity(KubernetesYaml.LoadAllFromString(run.Out));
        Assert.Equal((anchor.Thumbprint, issuer.Thumbprint), (writtenAnchor.Thumbprint, writtenIssuer.Thumbprint));
    }

    [Fact]
    public async Task Bad_options_fail_with_the_option_and_what_was_expected_and_print_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        using var anchor = MeshCertificates.CreateTrustAnchor("cluster.local", now.AddDays(-1), now.AddDays(400));
        using var foreign = MeshCertificates.CreateTrustAnchor("cluster.local", now.AddDays(-1), now.AddDays(400));
        using var issuer = MeshCertificates.CreateIssuer(foreign, "cluster.local", now.AddDays(-1), now.AddDays(300));
        var foreignArgs = Files(anchor, issuer);

        (string[] Args, string Error)[] cases =
        [
            (["--namespace", "Control_Plane"], "error: --namespace 'Control_Plane' is not a namespace name (lower-case letters, digits and '-')"),
            (["--prometheus-url", "prometheus:9090"], "error: --prometheus-url 'prometheus:9090' is not a URL; expected http(s)://host:port"),
            (["--identity-trust-anchors-file", foreignArgs[1]], "error: --identity-trust-anchors-file, --identity-issuer-certificate-file and --identity-issuer-key-file: give all three"),
            ([.. foreignArgs], "error: the issuer (--identity-issuer-certificate-file '"),
            (["--identity-trust-anchors-file", foreignArgs[5], "--identity-issuer-certificate-file", foreignArgs[3], "--identity-issuer-key-file", foreignArgs[5]],
                "error: --identity-trust-anchors-file '"),
        ];
        foreach (var (args, error) in cases)
        {
            var run = await CliRun.RunAsync(["install", .. args]);

            Assert.True(run.ExitCode == ExitCodes.Usage && run.Out.Length == 0 && run.Error.StartsWith(error, StringComparison.Ordinal), $"install {string.Join(' ', args)}: {run}");
        }

        var mismatched = await CliRun.RunAsync(["install", .. foreignArgs]);
        Assert.Contains("fail the identity checks: issuer cert is issued by the trust anchor: CN=identity.cluster.local: ", mismatched.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_pre_asks_to_create_every_kind_install_emits()
    {
        var run = await CliRun.RunAsync("install");

        var kinds = KubernetesYaml.LoadAllFromString(run.Out).OfType<IKubernetesObject>().Select(o => o.Kind + "s").ToHashSet();
        Assert.Equal(kinds.Order(), KubernetesSetupChecks.InstallResources.Select(r => r.Kind).Order());
    }

    private static string Name(object item) => item is IKubernetesObject<V1ObjectMeta> o ? $"{o.Kind}/{o.Metadata.Name}" : item.GetType().Name;

    private static V1Secret Secret(IEnumerable<object> objects, string name) => objects.OfType<V1Secret>().Single(s => s.Metadata.Name == name);

    /// <summary>The trust anchor of the trust-roots ConfigMap, and the issuer (with its key) of the issuer Secret.</summary>
    private static (X509Certificate2 Anchors, X509Certificate2 Issuer) Identity(IList<object> objects)
    {
        var roots = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == IdentityResources.TrustRootsConfigMap).Data[IdentityResources.TrustRootsKey];
        var secret = Secret(objects, IdentityResources.IssuerSecret);
        Assert.Equal("kubernetes.io/tls", secret.Type);
        var issuer = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data[IdentityResources.IssuerCertificateKey]),
            Encoding.ASCII.GetString(secret.Data[IdentityResources.IssuerPrivateKeyKey]));
        return (X509Certificate2.CreateFromPem(roots), issuer);
    }

    /// <summary>The three identity options, with files holding <paramref name="anchor"/>, <paramref name="issuer"/> and its key.</summary>
    private string[] Files(X509Certificate2 anchor, X509Certificate2 issuer)
    {
        string Write(string name, string text)
        {
            var path = Path.Combine(_files.FullName, name);
            File.WriteAllText(path, text);
            return path;
        }

        return
        [
            "--identity-trust-anchors-file", Write($"ca-{anchor.Thumbprint}.crt", anchor.ExportCertificatePem()),
            "--identity-issuer-certificate-file", Write($"issuer-{issuer.Thumbprint}.crt", issuer.ExportCertificatePem()),
            "--identity-issuer-key-file", Write($"issuer-{issuer.Thumbprint}.key", issuer.GetECDsaPrivateKey()!.ExportECPrivateKeyPem()),
        ];
    }
}
