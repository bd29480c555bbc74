using Prometheus;

namespace Dashboard.Proxy.Admin;

/// <summary>The admin listener: <c>/metrics</c> (Prometheus text), <c>/ready</c>, <c>/live</c>.</summary>
internal static class AdminEndpoints
{
    /// <param name="ready">Whether the proxy can route now (what <c>/ready</c> answers).</param>
    public static Task HandleAsync(HttpContext context, CollectorRegistry metrics, bool ready) =>
        HandleAsync(context, metrics, ready ? null : "outbound discovery has not synced with the Kubernetes API yet");

    /// <param name="notReady">Why <c>/ready</c> answers 503 now; null when it answers 200.</param>
    public static async Task HandleAsync(HttpContext context, CollectorRegistry metrics, string? notReady)
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
                response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                await response.WriteAsync(ready ? "ready\n" : $"not ready: {notReady}\n");
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
