using System.Text.Json;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// Prometheus HTTP service discovery (<c>/fleet/sd</c>): one target per running meshed pod's admin port, with
/// the labels a cluster's relabelling of Linkerd pod labels yields (shared/DESIGN.md §2).
/// </summary>
public static class FleetServiceDiscovery
{
    public static object Targets(FleetTopology topology, IEnumerable<object>? extra = null) =>
        topology.Pods.Where(p => p.Meshed && p.Runs).Select(p => (object)new
        {
            targets = new[] { p.Admin.ToString() },
            labels = Labels(p.Namespace, p.Name, p.Deployment?.Name),
        }).Concat(extra ?? []).ToList();

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
