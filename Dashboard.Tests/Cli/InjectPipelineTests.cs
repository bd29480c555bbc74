using System.Text.Json;
using Dashboard.Contracts.Proxy;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Cli;

/// <summary>
/// The pipeline of the seed, with real processes: chart output | dashboard inject - | kubectl apply --dry-run=client,
/// inject reading the mesh's trust anchors and kubectl the discovery from the fleet's Kubernetes API. (The fleet serves no
/// OpenAPI schema, so kubectl runs with <c>--validate=false</c>; the injected output is read back strictly, every field
/// known to KubernetesClient's models, instead.)
/// </summary>
[Collection(CliFleetCollection.Name)]
public sealed class InjectPipelineTests(CliFleetFixture fleet)
{
    [Fact]
    public async Task Helm_template_output_through_inject_is_accepted_by_kubectl_apply()
    {
        var chart = Path.GetTempFileName();
        try
        {
            // Without the ConfigMap: kubectl maps every kind through discovery, and the fleet's API serves no ConfigMaps.
            var workloads = ShopChart.Text[ShopChart.Text.IndexOf("---\n# Source: shop/templates/web.yaml", StringComparison.Ordinal)..];
            await File.WriteAllTextAsync(chart, workloads, TestTimeouts.Token);
            var run = await CliProcess.PipelineAsync(
                $"cat '{chart}' | dashboard inject - --server '{fleet.Api}' | kubectl --server '{fleet.Api}' --request-timeout=20s apply --dry-run=client --validate=false -o json -f -");

            Assert.True(run.ExitCode == 0, run.ToString());
            // kubectl printed what it would apply, as a List: the injected objects, read back as the API's types.
            var applied = JsonDocument.Parse(run.Out).RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "Service"], applied.Select(i => i.GetProperty("kind").GetString()));
            var deployment = KubernetesJson.Deserialize<V1Deployment>(applied[0].GetRawText());
            var proxy = Assert.Single(deployment.Spec.Template.Spec.Containers, c => c.Name == "linkerd-proxy");
            // The trust anchors come from the cluster's trust-roots ConfigMap (the fleet publishes its own).
            Assert.Equal(fleet.Fleet.Identity!.TrustAnchor.ExportCertificatePem().Trim(),
                proxy.Env.Single(e => e.Name == Dashboard.Contracts.Proxy.ProxyEnvironment.IdentityTrustAnchors).Value.Trim());
            Assert.Contains("deployment \"web\" injected", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(chart);
        }
    }

    [Fact]
    public async Task A_deployment_with_two_ports_gets_the_init_container_its_annotations_ask_for_and_kubectl_apply_accepts_it()
    {
        var files = Directory.CreateTempSubdirectory("dashboard-inject-two-ports-");
        try
        {
            var input = Path.Combine(files.FullName, "orders.yaml");
            var output = Path.Combine(files.FullName, "injected.yaml");
            await File.WriteAllTextAsync(input, TwoPortApp.Text, TestTimeouts.Token);
            var run = await CliProcess.PipelineAsync(
                $"dashboard inject '{input}' --server '{fleet.Api}' > '{output}' && kubectl --server '{fleet.Api}' --request-timeout=20s apply --dry-run=client --validate=false -o json -f '{output}'");

            Assert.True(run.ExitCode == 0, run.ToString());
            var injected = await File.ReadAllTextAsync(output, TestTimeouts.Token);
            var objects = KubernetesYaml.LoadAllFromString(injected, strict: true);
            var pod = Assert.IsType<V1Deployment>(objects[0]).Spec.Template;
            var original = KubernetesYaml.Deserialize<V1Deployment>(TwoPortApp.Deployment).Spec.Template;

            // The redirect's init container runs after the app's own, from the proxy's image, as root with NET_ADMIN and NET_RAW only.
            Assert.Equal(["migrate", "linkerd-init"], pod.Spec.InitContainers.Select(c => c.Name));
            var init = pod.Spec.InitContainers[1];
            var proxy = Assert.Single(pod.Spec.Containers, c => c.Name == "linkerd-proxy");
            Assert.Equal(proxy.Image, init.Image);
            Assert.Equal(TwoPortApp.InitArgs, init.Args);
            var initSecurity = init.SecurityContext;
            Assert.Equal((0L, false, true, false, false), (initSecurity.RunAsUser, initSecurity.RunAsNonRoot, initSecurity.ReadOnlyRootFilesystem, initSecurity.AllowPrivilegeEscalation, initSecurity.Privileged));
            Assert.Equal(["NET_ADMIN", "NET_RAW"], initSecurity.Capabilities.Add);
            Assert.Equal(["ALL"], initSecurity.Capabilities.Drop);
            var lockMount = Assert.Single(init.VolumeMounts);
            Assert.Equal("/run", lockMount.MountPath);
            Assert.NotNull(pod.Spec.Volumes.Single(v => v.Name == lockMount.Name).EmptyDir);

            // The proxy runs as the user the rules exempt, never as root, on a read-only root filesystem.
            var security = proxy.SecurityContext;
            Assert.Equal((2102L, true, true, false), (security.RunAsUser, security.RunAsNonRoot, security.ReadOnlyRootFilesystem, security.AllowPrivilegeEscalation));
            Assert.Null(security.Capabilities.Add);
            Assert.Equal(["ALL"], security.Capabilities.Drop);
            var env = proxy.Env.ToDictionary(e => e.Name);
            Assert.Equal("3306", env[ProxyEnvironment.InboundOpaquePorts].Value);
            Assert.False(env.ContainsKey(ProxyEnvironment.AppAddr));

            // The annotations stay, the app's container and ports are as they were, and the Service is untouched to the byte.
            Assert.All(original.Metadata.Annotations, a => Assert.Equal(a.Value, pod.Metadata.Annotations[a.Key]));
            Assert.Equal(KubernetesYaml.Serialize(original.Spec.Containers.Single()), KubernetesYaml.Serialize(pod.Spec.Containers[0]));
            Assert.Equal([("http", 8080), ("mysql", 3306)], pod.Spec.Containers[0].Ports.Select(p => (p.Name, p.ContainerPort)));
            Assert.EndsWith("---\n" + TwoPortApp.Service, injected, StringComparison.Ordinal);

            // kubectl read the same objects.
            var applied = JsonDocument.Parse(run.Out).RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(["Deployment", "Service"], applied.Select(i => i.GetProperty("kind").GetString()));
            var appliedPod = KubernetesJson.Deserialize<V1Deployment>(applied[0].GetRawText()).Spec.Template.Spec;
            Assert.Equal(TwoPortApp.InitArgs, appliedPod.InitContainers.Single(c => c.Name == "linkerd-init").Args);
            Assert.Equal(2102L, appliedPod.Containers.Single(c => c.Name == "linkerd-proxy").SecurityContext.RunAsUser);
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }
}
