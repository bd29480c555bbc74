using System.Text.Json;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Cli;

/// <summary>
/// The pipeline of the seed, with real processes: chart output | dashboard inject - | kubectl apply --dry-run=client,
/// inject reading the mesh's trust anchors and kubectl the discovery from the fleet's Kubernetes API.
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
}
