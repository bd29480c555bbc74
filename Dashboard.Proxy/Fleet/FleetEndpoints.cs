using System.Text.Json;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.Kubernetes;

namespace Dashboard.Proxy.Fleet;

/// <summary>The fleet's API listener: <c>/fleet/sd</c>, <c>/fleet/truth</c>, and the Kubernetes API for everything else.</summary>
internal static class FleetEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task HandleAsync(HttpContext context, FleetHost fleet, KubernetesApiServer api) => context.Request.Path.Value switch
    {
        "/fleet/sd" => FleetServiceDiscovery.WriteAsync(context, FleetServiceDiscovery.Targets(fleet.Topology, fleet.Options.ApiListen.ToString())),
        FleetServiceDiscovery.SyntheticMetricsPath => SyntheticAsync(context, fleet),
        "/fleet/truth" => TruthAsync(context, fleet),
        _ => api.HandleAsync(context),
    };

    private static Task SyntheticAsync(HttpContext context, FleetHost fleet)
    {
        var name = context.Request.Query["pod"].ToString().Split('/');
        if (name.Length != 2 || fleet.Topology.Pod(name[0], name[1]) is not { Synthetic: true } pod)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync($"no synthetic pod '{context.Request.Query["pod"]}'; expected ?pod=namespace/name\n");
        }

        context.Response.ContentType = "text/plain; version=0.0.4";
        return context.Response.WriteAsync(fleet.Exporter.Render(pod, pod.Deployment!.Replicas, fleet.Options.Time.GetUtcNow()));
    }

    private static Task TruthAsync(HttpContext context, FleetHost fleet)
    {
        var raw = context.Request.Query["window"].ToString();
        var window = TimeSpan.FromMinutes(1);
        if (raw.Length > 0 && (!DurationParser.TryParse(raw, out window) || window <= TimeSpan.Zero || window > GroundTruth.Retention))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync($"window '{raw}' is not valid; expected a duration up to 1h, e.g. 30s, 5m\n");
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(TruthReport.Build(fleet.Truth, window), Json));
    }
}
