using System.Text.Json;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// Prometheus HTTP service discovery (<c>/fleet/sd</c>): one target per running meshed pod's admin port, with
/// the labels a cluster's relabelling of Linkerd pod labels yields (the scrape job of docker/kubernetes/20-prometheus.yaml).
/// </summary>
public static class FleetPrometheusDiscovery
{
    /// <param name="exporter">Where synthetic pods' metrics are served: the fleet's API listener.</param>
    public static object Targets(FleetTopology topology, string exporter) =>
        topology.Pods.Where(p => p.Meshed && (p.Runs || p.Synthetic)).Select(p => new
        {
            targets = new[] { p.Synthetic ? exporter : p.Admin.ToString() },
            labels = p.Synthetic
                ? new Dictionary<string, string>(Labels(p.Namespace, p.Name, p.Deployment?.Name))
                {
                    ["__metrics_path__"] = SyntheticMetricsPath,
                    ["__param_pod"] = $"{p.Namespace}/{p.Name}",
                }
                : Labels(p.Namespace, p.Name, p.Deployment?.Name),
        }).ToList();

    public const string SyntheticMetricsPath = "/fleet/synthetic/metrics";

    public static Dictionary<string, string> Labels(string ns, string pod, string? deployment)
    {
        var labels = new Dictionary<string, string>
        {
            ["namespace"] = ns,
            ["pod"] = pod,
            ["control_plane_ns"] = FleetKubeObjects.ControlPlaneNamespace,
            ["workload_ns"] = ns,
            ["container"] = FleetKubeObjects.ProxyContainer,
        };
        if (deployment is not null)
        {
            labels["deployment"] = deployment;
            labels["pod_template_hash"] = FleetNames.PodTemplateHash(ns, deployment);
        }

        return labels;
    }

    public static Task WriteAsync(HttpContext context, object targets)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(targets));
    }
}
