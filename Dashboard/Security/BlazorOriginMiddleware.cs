using Microsoft.Extensions.Options;

namespace Dashboard.Security;

/// <summary>
/// Refuses the Blazor circuit (<c>/_blazor</c>: negotiate, WebSocket, long polling) to pages of other
/// origins. WebSockets are not bound by CORS, so without this a foreign page could open a circuit
/// with the user's browser (cross-site WebSocket hijacking). Requests without an Origin header come
/// from non-browser clients and pass.
/// </summary>
public sealed partial class BlazorOriginMiddleware
{
    public static readonly PathString BlazorPath = new("/_blazor");

    private readonly RequestDelegate _next;
    private readonly ILogger _logger;
    private readonly HashSet<string> _allowedOrigins;

    public BlazorOriginMiddleware(RequestDelegate next, IOptions<DashboardSecurityOptions> options, ILogger<BlazorOriginMiddleware> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        _logger = logger;
        _allowedOrigins = new(StringComparer.Ordinal);
        foreach (var configured in options.Value.AllowedOrigins)
        {
            _allowedOrigins.Add(NormalizeOrigin(configured)
                ?? throw new ArgumentException($"'{configured}' is not an origin (expected e.g. 'https://dashboard.example.com')", nameof(options)));
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(BlazorPath, StringComparison.OrdinalIgnoreCase))
        {
            return _next(context);
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsSameHost(origin, context.Request.Host) || NormalizeOrigin(origin) is { } o && _allowedOrigins.Contains(o))
        {
            return _next(context);
        }

        LogRefused(origin, context.Request.Host.Value ?? "");
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(
            $"403 Forbidden: a page from another origin may not connect to this dashboard's Blazor circuit (Origin '{origin}', Host '{context.Request.Host.Value}').\n",
            context.RequestAborted);
    }

    /// <summary>
    /// Whether the origin names the host the request was sent to. When the Host carries a port the
    /// origin's port must match too; without one (a TLS-terminating proxy in front) the port is unknown.
    /// </summary>
    public static bool IsSameHost(string origin, HostString host)
    {
        if (!host.HasValue || !TryParseOrigin(origin, out var uri))
        {
            return false;
        }

        return HostPattern.NormalizeHost(uri.Host) == HostPattern.NormalizeHost(host.Host)
            && (host.Port is not { } port || uri.Port == port);
    }

    private static string? NormalizeOrigin(string origin) =>
        TryParseOrigin(origin, out var uri) ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant() : null;

    private static bool TryParseOrigin(string origin, out Uri uri) =>
        Uri.TryCreate(origin.Trim(), UriKind.Absolute, out uri!)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Blazor connection from origin '{Origin}' to host '{Host}'")]
    private partial void LogRefused(string origin, string host);
}
