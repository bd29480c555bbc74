using Dashboard.Cli;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Tests.Identity;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Cli;

/// <summary><c>inject</c> on every workload kind, run in-process; the result read back as typed objects by KubernetesClient.</summary>
public sealed class InjectTests : IDisposable
{
    /// <summary>The trust anchors of these tests' mesh, in a file for <c>--identity-trust-anchors-file</c>.</summary>
    private static readonly string Anchors = new TestMesh().Anchor.ExportCertificatePem() + "\n";
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("dashboard-inject-anchors-");

    public InjectTests() => AnchorsFile = Write("ca-bundle.crt", Anchors);

    private string AnchorsFile { get; }

    public void Dispose() => _files.Delete(recursive: true);
    [Fact]
    public async Task Every_workload_kind_gets_the_proxy_and_other_kinds_pass_through_unchanged()
    {
        var run = await InjectAsync(ShopChart.Text);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("""
            deployment "web" injected
            statefulset "db" injected
            daemonset "agent" injected
            replicaset "legacy" injected
            job "migrate" injected
            cronjob "nightly" injected
            pod "debug" injected

            """, run.Error);
        var objects = KubernetesYaml.LoadAllFromString(run.Out);
        Assert.Equal(9, objects.Count);
        var web = Assert.IsType<V1Deployment>(objects[1]);
        AssertInjected(web.Spec.Template, "deployment", "web");
        Assert.Equal("shop", web.Spec.Template.Metadata.Labels["linkerd.io/workload-ns"]);
        AssertInjected(Assert.IsType<V1StatefulSet>(objects[2]).Spec.Template, "statefulset", "db");
        AssertInjected(Assert.IsType<V1DaemonSet>(objects[3]).Spec.Template, "daemonset", "agent");
        AssertInjected(Assert.IsType<V1ReplicaSet>(objects[4]).Spec.Template, "replicaset", "legacy");
        AssertInjected(Assert.IsType<V1Job>(objects[5]).Spec.Template, "job", "migrate");
        AssertInjected(Assert.IsType<V1CronJob>(objects[6]).Spec.JobTemplate.Spec.Template, "cronjob", "nightly");
        var pod = Assert.IsType<V1Pod>(objects[7]);
        AssertInjected(new V1PodTemplateSpec { Metadata = pod.Metadata, Spec = pod.Spec }, null, "debug");

        // Documents inject does not change keep their text to the byte, comments and quoting included.
        Assert.StartsWith(ShopChart.Text[..ShopChart.Text.IndexOf("# Source: shop/templates/web.yaml", StringComparison.Ordinal)], run.Out, StringComparison.Ordinal);
        Assert.EndsWith(ShopChart.Text[ShopChart.Text.IndexOf("---\n# Source: shop/templates/service.yaml", StringComparison.Ordinal)..], run.Out, StringComparison.Ordinal);
        Assert.Contains("---\n# Source: shop/templates/web.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n", run.Out, StringComparison.Ordinal);
        // The changed document keeps its field order, quoting and sequence style.
        Assert.Contains("""
                matchLabels: {app: web}
              template:
                metadata:
                  labels:
                    app: web
                    linkerd.io/control-plane-ns: linkerd
            """, run.Out, StringComparison.Ordinal);
        Assert.Contains("      - name: web\n        image: \"nginx:1.27\"\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("      containers:\n        - name: db\n          image: postgres:17\n        - name: linkerd-proxy\n", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Injecting_twice_equals_injecting_once()
    {
        var once = await InjectAsync(ShopChart.Text);
        var twice = await InjectAsync(once.Out);

        Assert.Equal(ExitCodes.Success, twice.ExitCode);
        Assert.Equal(once.Out, twice.Out);
        Assert.Contains("deployment \"web\" skipped: already injected (it has a linkerd-proxy container)\n", twice.Error, StringComparison.Ordinal);
        Assert.Equal(7, twice.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Json_input_and_a_List_come_out_as_json_with_every_workload_injected()
    {
        const string list = """
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "shop"},
               "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "api"}}, "template": {"metadata": {"labels": {"app": "api"}},
                 "spec": {"containers": [{"name": "api", "image": "api:1", "ports": [{"containerPort": 5000}]}]}}}},
              {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"}, "spec": {"ports": [{"port": 80, "targetPort": 5000}]}},
              {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "node-agent"},
               "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}},
                 "spec": {"hostNetwork": true, "containers": [{"name": "c", "image": "y"}]}}}}
            ]}
            """;
        var run = await InjectAsync(list);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("""
            deployment "api" injected
            daemonset "node-agent" skipped: uses the host's network (hostNetwork: true), where the proxy's ports would collide with the node's

            """, run.Error);
        var items = System.Text.Json.JsonDocument.Parse(run.Out).RootElement.GetProperty("items");
        var deployment = KubernetesJson.Deserialize<V1Deployment>(items[0].GetRawText());
        AssertInjected(deployment.Spec.Template, "deployment", "api");
        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Equal(80, items[1].GetProperty("spec").GetProperty("ports")[0].GetProperty("port").GetInt32());
        Assert.Single(KubernetesJson.Deserialize<V1DaemonSet>(items[2].GetRawText()).Spec.Template.Spec.Containers);
    }

    [Theory]
    [InlineData("a: 1\n---\nkind: Deployment\nmetadata:\n  name: x\n  labels: [a, b\nspec: 1\n", "stdin: invalid YAML in document 2")]
    [InlineData("a: 1\n---\nb: c: d\n", "stdin: invalid YAML in document 2, line 3, column 5: ")]
    [InlineData("kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: x\nspec:\n  replicas: 1\n", "stdin, document 1: deployment \"x\": spec.template is missing or not a mapping")]
    [InlineData("kind: Pod\napiVersion: v1\nmetadata:\n  name: p\nspec:\n  containers: []\n", "stdin, document 1: pod \"p\": spec.containers is missing or empty")]
    public async Task Bad_input_fails_with_the_document_and_line_and_prints_nothing(string input, string message)
    {
        var run = await InjectAsync(input);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("error: " + message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_is_read_file_by_file_in_name_order()
    {
        var directory = Directory.CreateTempSubdirectory("dashboard-inject-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "b.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n  - name: c\n    image: x\n", TestTimeouts.Token);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "a.json"), """{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}""", TestTimeouts.Token);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "notes.txt"), "not a manifest", TestTimeouts.Token);

            var run = await CliRun.RunAsync("inject", directory.FullName, "--identity-trust-anchors-file", AnchorsFile);

            Assert.Equal(ExitCodes.Success, run.ExitCode);
            Assert.StartsWith("""{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}""" + "\n---\napiVersion: v1\nkind: Pod\n", run.Out, StringComparison.Ordinal);
            Assert.Equal("pod \"b\" injected\n", run.Error);
            Assert.Equal(["V1ConfigMap", "V1Pod"], KubernetesYaml.LoadAllFromString(run.Out).Select(o => o.GetType().Name));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_proxy_image_and_version_can_be_chosen()
    {
        var run = await InjectAsync(ShopChart.Text, "--proxy-image", "registry.example.com:5000/mesh/proxy", "--proxy-version", "1.0");

        var web = Assert.IsType<V1Deployment>(KubernetesYaml.LoadAllFromString(run.Out)[1]);
        Assert.Equal("registry.example.com:5000/mesh/proxy:1.0", web.Spec.Template.Spec.Containers[1].Image);
        // "1.0" would read as a number: the annotation is quoted so that it stays a string.
        Assert.Contains("linkerd.io/proxy-version: \"1.0\"", run.Out, StringComparison.Ordinal);
        Assert.Equal("1.0", web.Spec.Template.Metadata.Annotations["linkerd.io/proxy-version"]);
    }

    [Fact]
    public async Task The_proxy_gets_its_identity_from_the_control_planes_identity_endpoint_with_a_projected_token()
    {
        var run = await InjectAsync(ShopChart.Text, "-L", "mesh");

        var template = Assert.IsType<V1Deployment>(KubernetesYaml.LoadAllFromString(run.Out)[1]).Spec.Template;
        var proxy = template.Spec.Containers.Single(c => c.Name == "linkerd-proxy");
        var names = proxy.Env.Select(e => e.Name).ToList();
        var env = proxy.Env.ToDictionary(e => e.Name);
        Assert.Equal("spec.serviceAccountName", env["_pod_sa"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("$(_pod_sa).$(MESH_PROXY_POD_NAMESPACE).serviceaccount.identity.cluster.local", env[ProxyEnvironment.IdentityLocalName].Value);
        // The kubelet expands $(VAR) only from variables listed before.
        Assert.True(names.IndexOf("_pod_sa") < names.IndexOf(ProxyEnvironment.IdentityLocalName) && names.IndexOf(ProxyEnvironment.PodNamespace) < names.IndexOf(ProxyEnvironment.IdentityLocalName));
        Assert.Equal(Anchors, env[ProxyEnvironment.IdentityTrustAnchors].Value);
        Assert.Equal("linkerd-identity.mesh.svc.cluster.local:8080", env[ProxyEnvironment.IdentityServiceAddr].Value);
        Assert.Equal("linkerd-identity.mesh.serviceaccount.identity.cluster.local", env[ProxyEnvironment.IdentityServiceName].Value);
        Assert.Equal("dashboard.mesh.serviceaccount.identity.cluster.local", env[ProxyEnvironment.TapServiceName].Value);
        // Discovery from the destination service of -L's control plane, which must prove its own identity there.
        Assert.Equal("linkerd-destination.mesh.svc.cluster.local:8086", env[ProxyEnvironment.DestinationServiceAddr].Value);
        Assert.Equal("linkerd-destination.mesh.serviceaccount.identity.cluster.local", env[ProxyEnvironment.DestinationServiceName].Value);
        var mount = Assert.Single(proxy.VolumeMounts, m => m.Name == "linkerd-identity-token");
        Assert.True(mount.ReadOnlyProperty);
        var volume = Assert.Single(template.Spec.Volumes, v => v.Name == mount.Name);
        var token = Assert.Single(volume.Projected.Sources).ServiceAccountToken;
        Assert.Equal(("identity.l5d.io", 86400L), (token.Audience, token.ExpirationSeconds));
        Assert.Equal($"{mount.MountPath}/{token.Path}", env[ProxyEnvironment.IdentityTokenFile].Value);
        Assert.False(template.Metadata.Annotations.ContainsKey(IdentityResources.DisableIdentityAnnotation));
    }

    [Fact]
    public async Task Without_identity_the_pods_say_so_and_their_proxies_get_no_identity_variables()
    {
        var run = await CliRun.RunAsync(["inject", "-", "--disable-identity"], ShopChart.Text);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var template = Assert.IsType<V1Deployment>(KubernetesYaml.LoadAllFromString(run.Out)[1]).Spec.Template;
        Assert.Equal("true", template.Metadata.Annotations[IdentityResources.DisableIdentityAnnotation]);
        var proxy = template.Spec.Containers.Single(c => c.Name == "linkerd-proxy");
        Assert.DoesNotContain(proxy.Env, e => e.Name.StartsWith("MESH_PROXY_IDENTITY_", StringComparison.Ordinal) || e.Name == ProxyEnvironment.DestinationServiceName);
        // The destination service still answers it (in plaintext, when the service has no identity either).
        Assert.Equal("linkerd-destination.linkerd.svc.cluster.local:8086", proxy.Env.Single(e => e.Name == ProxyEnvironment.DestinationServiceAddr).Value);
        Assert.Equal(["/tmp"], proxy.VolumeMounts.Select(m => m.MountPath));
        Assert.DoesNotContain(template.Spec.Volumes, v => v.Projected is not null);
    }

    [Fact]
    public async Task Without_trust_anchors_from_the_cluster_or_a_file_inject_fails_rather_than_mesh_without_mtls()
    {
        var server = $"http://127.0.0.1:{TestPorts.Free()}";
        var unreachable = await CliRun.RunAsync(["inject", "-", "--server", server], ShopChart.Text);
        var missing = await CliRun.RunAsync(["inject", "-", "--identity-trust-anchors-file", AnchorsFile + ".missing"], ShopChart.Text);
        var notPem = await CliRun.RunAsync(["inject", "-", "--identity-trust-anchors-file", Write("bad.crt", "not a certificate")], ShopChart.Text);

        Assert.Equal((ExitCodes.Failure, ""), (unreachable.ExitCode, unreachable.Out));
        Assert.StartsWith($"error: the proxies need the mesh's trust anchors, and the cluster at {server}", unreachable.Error, StringComparison.Ordinal);
        Assert.Contains("cannot read ConfigMap linkerd/linkerd-identity-trust-roots: ", unreachable.Error, StringComparison.Ordinal);
        Assert.Contains("pass --identity-trust-anchors-file FILE, or --disable-identity", unreachable.Error, StringComparison.Ordinal);
        Assert.Equal((ExitCodes.Usage, ""), (missing.ExitCode, missing.Out));
        Assert.StartsWith($"error: cannot read --identity-trust-anchors-file '{AnchorsFile}.missing': ", missing.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, notPem.ExitCode);
        Assert.Matches("^error: --identity-trust-anchors-file '.+' holds no PEM certificate", notPem.Error);
    }

    private Task<CliRun> InjectAsync(string stdin, params string[] args) =>
        CliRun.RunAsync(["inject", "-", "--identity-trust-anchors-file", AnchorsFile, .. args], stdin);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_files.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertInjected(V1PodTemplateSpec template, string? ownerKind, string owner)
    {
        Assert.Equal(ControlPlane.DefaultNamespace, template.Metadata.Labels["linkerd.io/control-plane-ns"]);
        if (ownerKind is not null)
        {
            Assert.Equal(owner, template.Metadata.Labels[$"linkerd.io/proxy-{ownerKind}"]);
        }

        Assert.Equal(Dashboard.Hosting.BuildVersion.Current, template.Metadata.Annotations["linkerd.io/proxy-version"]);
        var proxy = Assert.Single(template.Spec.Containers, c => c.Name == "linkerd-proxy");
        Assert.Equal(template.Spec.Containers[^1], proxy);
        Assert.Equal($"dashboard/proxy:{Dashboard.Hosting.BuildVersion.Current}", proxy.Image);
        Assert.Equal([("linkerd-proxy", 4143), ("linkerd-admin", 4191), ("linkerd-tap", 4190)], proxy.Ports.Select(p => (p.Name, p.ContainerPort)));
        var env = proxy.Env.ToDictionary(e => e.Name);
        // The redirect gives the proxy each connection's port: the explicit app address stays unset.
        Assert.False(env.ContainsKey(ProxyEnvironment.AppAddr));
        Assert.Equal(ProxyEnvironment.DefaultInboundListenAddr, env[ProxyEnvironment.InboundListenAddr].Value);
        Assert.Equal(ProxyEnvironment.DefaultOutboundListenAddr, env[ProxyEnvironment.OutboundListenAddr].Value);
        Assert.Equal(ProxyEnvironment.DefaultAdminListenAddr, env[ProxyEnvironment.AdminListenAddr].Value);
        Assert.Equal(ProxyEnvironment.DefaultTapListenAddr, env[ProxyEnvironment.TapListenAddr].Value);
        Assert.Equal("metadata.name", env[ProxyEnvironment.PodName].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", env[ProxyEnvironment.PodNamespace].ValueFrom.FieldRef.FieldPath);
        // Discovery comes from the destination service: the proxy is never told to watch the Kubernetes API.
        Assert.Equal("linkerd-destination.linkerd.svc.cluster.local:8086", env[ProxyEnvironment.DestinationServiceAddr].Value);
        Assert.False(env.ContainsKey(ProxyEnvironment.KubernetesApi));
        Assert.Equal(("/ready", "4191"), (proxy.ReadinessProbe.HttpGet.Path, proxy.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal(("/live", "4191"), (proxy.LivenessProbe.HttpGet.Path, proxy.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal(Anchors, env[ProxyEnvironment.IdentityTrustAnchors].Value);
        Assert.Equal("linkerd-identity-token", template.Spec.Volumes.Single(v => v.Projected is not null).Name);
        var init = Assert.Single(template.Spec.InitContainers);
        Assert.Equal(("linkerd-init", proxy.Image), (init.Name, init.Image));
        Assert.Equal(["init", "--incoming-proxy-port", "4143", "--outgoing-proxy-port", "4140", "--proxy-uid", "2102", "--inbound-ports-to-ignore", "4190,4191"], init.Args);
    }
}
