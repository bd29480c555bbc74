using System.Net;
using Dashboard.Proxy.Fleet;
using Dashboard.Proxy.Fleet.Manifest;
using k8s;

namespace Dashboard.Tests.Fleet;

/// <summary>The scale option: pods without processes that the API lists and Prometheus scrapes like real ones.</summary>
public sealed class FleetScaleTests
{
    [Fact]
    public async Task Synthetic_pods_are_listed_discovered_and_serve_advancing_metrics()
    {
        var manifest = new FleetManifest([new NamespaceSpec("default", [new DeploymentSpec("web", 1, true, [])], [])], []);
        await using var fleet = await TestFleet.StartAsync(new FleetOptions
        {
            Manifest = manifest,
            ApiListen = new IPEndPoint(IPAddress.Loopback, TestPorts.Free()),
            IpSecondOctet = 23,
            Synthetic = new SyntheticWorkloads(12, 50),
        });
        await using var prometheus = await PrometheusServer.StartAsync($"""
              - job_name: fleet
                http_sd_configs:
                  - url: {fleet.ApiUrl}fleet/sd
                    refresh_interval: 1s
            """);
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = fleet.ApiUrl.ToString() });

        var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: TestTimeouts.Token).Within();
        var pods = await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "linkerd.io/control-plane-ns", cancellationToken: TestTimeouts.Token).Within();
        var deployments = await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: TestTimeouts.Token).Within();

        Assert.Equal(["default", "scale-00", "scale-01"], namespaces.Items.Select(n => n.Metadata.Name).Order());
        Assert.Equal(51, pods.Items.Count);
        Assert.Equal(13, deployments.Items.Count);
        Assert.All(pods.Items, p => Assert.Equal("True", p.Status.Conditions.Single(c => c.Type == "Ready").Status));

        // Every synthetic pod is a target of its own, with the labels of a real one.
        await TestTimeouts.Eventually(async () => await prometheus.ValueAsync("""count(up{namespace=~"scale-.*"} == 1)""") == 50,
            "prometheus to scrape the 50 synthetic pods", TestTimeouts.Slow);
        await TestTimeouts.Eventually(async () => await prometheus.ValueAsync(
            """sum(increase(response_total{direction="inbound", namespace="scale-01"}[10s]))""") > 0,
            "synthetic counters to advance", TestTimeouts.Slow);
        var byDeployment = await prometheus.QueryAsync("""sum(response_total{namespace=~"scale-.*"}) by (deployment)""");
        Assert.Equal(12, byDeployment.GetArrayLength());
    }
}
