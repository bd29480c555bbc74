using Microsoft.Extensions.Options;

namespace Dashboard.Security;

/// <summary>
/// Adds the security headers to every response. They are set when the response starts, so that
/// error pages, whose handler clears the headers set before, carry them too.
/// </summary>
public sealed class SecurityHeadersMiddleware
{
    private readonly RequestDelegate _next;
    private readonly string _contentSecurityPolicy;
    private readonly Func<object, Task> _apply;

    public SecurityHeadersMiddleware(RequestDelegate next, IOptions<DashboardSecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        _contentSecurityPolicy = options.Value.ContentSecurityPolicy;
        _apply = Apply;
    }

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(_apply, context);
        return _next(context);
    }

    private Task Apply(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        // Proxied Grafana pages carry Grafana's own policy: ours would block its inline scripts.
        if (!context.Request.Path.StartsWithSegments(Grafana.GrafanaProxy.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentSecurityPolicy = _contentSecurityPolicy;
        }

        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return Task.CompletedTask;
    }
}
