using System.Text.Json;
using Dashboard.Contracts.Durations;
using Dashboard.Proxy.Fleet.KubernetesApi;

namespace Dashboard.Proxy.Fleet;

/// <summary>The fleet's API listener: <c>/fleet/sd</c>, <c>/fleet/truth</c>, and the Kubernetes API for everything else.</summary>
internal static class FleetEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task HandleAsync(HttpContext context, FleetHost fleet, KubernetesApiServer api) => context.Request.Path.Value switch
    {
        "/fleet/sd" => FleetPrometheusDiscovery.WriteAsync(context, FleetPrometheusDiscovery.Targets(fleet.Topology, fleet.Options.ApiListen.ToString())),
        FleetPrometheusDiscovery.SyntheticMetricsPath => SyntheticAsync(context, fleet),
        "/fleet/truth" => TruthAsync(context, fleet),
        "/fleet/proxy/kill" or "/fleet/proxy/restart" => ProxyAsync(context, fleet),
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
        return context.Response.WriteAsync(fleet.Exporter.Render(pod, fleet.Options.Time.GetUtcNow()));
    }

    /// <summary><c>POST /fleet/proxy/kill?pod=ns/name</c> and <c>/fleet/proxy/restart?pod=ns/name</c>, to try failures by hand.</summary>
    private static async Task ProxyAsync(HttpContext context, FleetHost fleet)
    {
        var raw = context.Request.Query["pod"].ToString();
        var name = raw.Split('/');
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            await context.Response.WriteAsync("use POST\n");
            return;
        }

        try
        {
            if (name.Length != 2)
            {
                throw new ArgumentException($"pod '{raw}' is not namespace/name");
            }

            var kill = context.Request.Path.Value!.EndsWith("/kill", StringComparison.Ordinal);
            await (kill ? fleet.KillProxyAsync(name[0], name[1]) : fleet.RestartProxyAsync(name[0], name[1], context.RequestAborted));
            await context.Response.WriteAsync($"proxy of {raw} {(kill ? "killed" : "restarted")}\n");
        }
        catch (ArgumentException ex)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync(ex.Message + "; expected ?pod=namespace/name of a meshed pod\n");
        }
    }

    private static Task TruthAsync(HttpContext context, FleetHost fleet)
    {
        var raw = context.Request.Query["window"].ToString();
        var window = TimeSpan.FromMinutes(1);
        if (raw.Length > 0 && (!DurationText.TryParse(raw, DurationSyntax.Prometheus, out window) || window <= TimeSpan.Zero || window > GroundTruth.Retention))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync($"window '{raw}' is not valid; expected a duration up to 1h, e.g. 30s, 5m\n");
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(TruthReport.Build(fleet.Truth, window, fleet.Topology), Json));
    }
}
