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
        "/fleet/sd" => FleetServiceDiscovery.WriteAsync(context, FleetServiceDiscovery.Targets(fleet.Topology)),
        "/fleet/truth" => TruthAsync(context, fleet),
        _ => api.HandleAsync(context),
    };

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
