using Prometheus;

namespace Dashboard.Proxy.Admin;

/// <summary>The admin listener: <c>/metrics</c> (Prometheus text), <c>/ready</c>, <c>/live</c>.</summary>
internal static class AdminEndpoints
{
    /// <param name="ready">Whether the proxy can route now (what <c>/ready</c> answers).</param>
    /// <param name="note">What a ready proxy adds to its answer (the destination service unreachable), or null.</param>
    public static Task HandleAsync(HttpContext context, CollectorRegistry metrics, bool ready, string? note = null) =>
        HandleAsync(context, metrics, ready ? null : "outbound discovery has not synced with the Kubernetes API yet", note);

    /// <param name="notReady">Why <c>/ready</c> answers 503 now; null when it answers 200.</param>
    /// <param name="note">What a ready service adds to its answer, or null.</param>
    public static async Task HandleAsync(HttpContext context, CollectorRegistry metrics, string? notReady, string? note = null)
    {
        var ready = notReady is null;
        var response = context.Response;
        switch (context.Request.Path.Value)
        {
            case "/metrics":
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await metrics.CollectAndExportAsTextAsync(response.Body, context.RequestAborted);
                break;
            case "/ready":
                // A proxy whose destination service is unreachable stays ready (200, the note in the body): it routes by the
                // endpoints it knows, and failing readiness would take every meshed pod out of its Services' endpoints, turning
                // a control-plane outage into a data-plane one (Linkerd's proxies stay ready too).
                response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                await response.WriteAsync(!ready ? $"not ready: {notReady}\n"
                    : note is null ? "ready\n" : $"ready; {note}\n");
                break;
            case "/live":
                await response.WriteAsync("live\n");
                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                await response.WriteAsync("not found: the admin listener serves /metrics, /ready and /live\n");
                break;
        }
    }
}
