using Dashboard.Tests.Kubernetes;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Fleet;

/// <summary>The fleet's Kubernetes API, as KubernetesClient and the real kubectl see it.</summary>
public sealed class FleetApiTests(FleetFixture fixture) : IClassFixture<FleetFixture>
{
    private k8s.Kubernetes Client() => new(new KubernetesClientConfiguration { Host = fixture.Api.ToString() });

    [Fact]
    public async Task Pods_carry_linkerd_labels_owners_and_addresses()
    {
        using var client = Client();
        var pods = (await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: TestTimeouts.Token).Within()).Items;

        Assert.Equal(7, pods.Count);
        var ml = pods.Where(p => p.Metadata.Labels?.TryGetValue("app", out var app) == true && app == "ml").ToList();
        Assert.Equal(2, ml.Count);
        Assert.All(ml, pod =>
        {
            Assert.Matches("^ml-[a-z0-9]{10}-[a-z0-9]{5}$", pod.Metadata.Name);
            Assert.Equal("linkerd", pod.Metadata.Labels["linkerd.io/control-plane-ns"]);
            Assert.Equal("ml", pod.Metadata.Labels["linkerd.io/proxy-deployment"]);
            Assert.StartsWith("127.21.", pod.Status.PodIP, StringComparison.Ordinal);
            Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);
            var proxy = pod.Spec.Containers.Single(c => c.Name == "linkerd-proxy");
            Assert.Contains(proxy.Ports, p => p is { Name: "linkerd-admin", ContainerPort: 4191 });
            Assert.Equal("ReplicaSet", pod.Metadata.OwnerReferences.Single().Kind);
        });
        var legacy = pods.Single(p => p.Metadata.Labels?.TryGetValue("app", out var app) == true && app == "legacy");
        Assert.False(legacy.Metadata.Labels.ContainsKey("linkerd.io/control-plane-ns"));
        Assert.Equal("Succeeded", pods.Single(p => p.Metadata.Name == "migrate-db-x7k2p").Status.Phase);

        var rs = await client.AppsV1.ReadNamespacedReplicaSetAsync(ml[0].Metadata.OwnerReferences[0].Name, "default", cancellationToken: TestTimeouts.Token).Within();
        Assert.Equal(("Deployment", "ml"), (rs.Metadata.OwnerReferences[0].Kind, rs.Metadata.OwnerReferences[0].Name));
        var slices = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("default", labelSelector: "kubernetes.io/service-name=ml", cancellationToken: TestTimeouts.Token).Within();
        Assert.Equal(ml.Select(p => p.Status.PodIP).Order(), slices.Items.SelectMany(s => s.Endpoints).SelectMany(e => e.Addresses).Order());
    }

    [Fact]
    public async Task Kubectl_lists_pods_and_deployments_and_shows_a_pod()
    {
        using var kubectl = new Kubectl();
        var server = fixture.Api.ToString().TrimEnd('/');

        var pods = await kubectl.RunAsync(server, "get", "pods", "-A", "-o", "wide");
        var deployments = await kubectl.RunAsync(server, "get", "deploy", "-n", "default");
        var name = fixture.Fleet.Topology.Pods.First(p => p.Deployment?.Name == "ml").Name;
        var yaml = await kubectl.RunAsync(server, "get", "pod", name, "-n", "default", "-o", "yaml");

        Assert.True(pods.ExitCode == 0, pods.StandardError);
        Assert.Matches(@"NAMESPACE\s+NAME\s+READY\s+STATUS", pods.StandardOutput);
        Assert.Matches($@"default\s+{name}\s+2/2\s+Running", pods.StandardOutput);
        Assert.Contains("grafana-0", pods.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"migrate-db-x7k2p\s+0/1\s+Completed", pods.StandardOutput);
        Assert.True(deployments.ExitCode == 0, deployments.StandardError);
        Assert.Matches(@"ml\s+2/2\s+2\s+2", deployments.StandardOutput);
        Assert.Contains("linkerd.io/proxy-deployment: ml", yaml.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"name: {name}", yaml.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_discovers_every_running_meshed_pod()
    {
        var meshed = fixture.Fleet.Topology.Pods.Count(p => p.Meshed && p.Runs);

        await TestTimeouts.Eventually(async () => await fixture.Prometheus.ValueAsync("count(up{job=\"fleet\"} == 1)") == meshed,
            $"prometheus to scrape {meshed} meshed pods", TestTimeouts.Slow);

        var targets = await fixture.Prometheus.QueryAsync("up{job=\"fleet\"}");
        var labels = targets.EnumerateArray().Select(t => t.GetProperty("metric")).ToList();
        Assert.All(labels, l => Assert.Equal("default", l.GetProperty("namespace").GetString()));
        Assert.Equal(["ml", "ml", "test-1", "test-2"], labels.Select(l => l.GetProperty("deployment").GetString()).Order());
        Assert.All(labels, l => Assert.StartsWith(l.GetProperty("deployment").GetString() + "-", l.GetProperty("pod").GetString(), StringComparison.Ordinal));
    }
}
