using System.Text;
using Dashboard.Configuration;

namespace Dashboard.Security;

/// <summary>
/// Refuses requests whose Host is not in <c>Dashboard:AllowedHosts</c> with a 400 that says which host
/// was refused and how to allow it. A DNS-rebinding page reaches the dashboard under the attacker's
/// host name; refusing unknown names keeps it out. ASP.NET's HostFiltering answers with a fixed page
/// that cannot name the key to set, hence this middleware.
/// </summary>
public sealed partial class AllowedHostsMiddleware
{
    private const int MaxEchoedLength = 253; // the longest DNS name
    private readonly RequestDelegate _next;
    private readonly ILogger _logger;
    private readonly HostPattern[] _patterns;
    private readonly bool _allowAny;

    public AllowedHostsMiddleware(RequestDelegate next, DashboardSettings settings, ILogger<AllowedHostsMiddleware> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _next = next;
        _logger = logger;
        _patterns = [.. settings.AllowedHosts];
        _allowAny = _patterns.Any(p => p.IsAny);
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_allowAny || IsAllowed(context.Request.Host))
        {
            return _next(context);
        }

        return RejectAsync(context);
    }

    private bool IsAllowed(HostString host)
    {
        if (!host.HasValue || host.Host.Length == 0)
        {
            return false;
        }

        var name = HostPattern.NormalizeHost(host.Host);
        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(name))
            {
                return true;
            }
        }

        return false;
    }

    private Task RejectAsync(HttpContext context)
    {
        var host = Printable(context.Request.Host.Host);
        LogRefused(host, context.Connection.RemoteIpAddress?.ToString() ?? "?");
        var allowed = string.Join(";", _patterns.Select(p => p.Text));
        var example = host.Length > 0 ? host : "dashboard.example.com";
        var body = new StringBuilder()
            .Append("400 Bad Request: ")
            .AppendLine(host.Length > 0 ? $"this dashboard does not answer to the host '{host}'." : "the request has no Host header.")
            .AppendLine()
            .AppendLine($"It answers only to the hosts in {ConfigKeys.AllowedHosts} (now: {allowed}), on any port.")
            .AppendLine("Refusing other host names protects it from DNS rebinding. If this is how you reach the")
            .AppendLine($"dashboard, add '{example}' to {ConfigKeys.AllowedHosts} (the list replaces the defaults), e.g.")
            .AppendLine($"  environment:  {ConfigKeys.EnvironmentVariable(ConfigKeys.AllowedHosts)}=\"{allowed};{example}\"")
            .AppendLine($"  command line: --{ConfigKeys.AllowedHosts}=\"{allowed};{example}\"")
            .AppendLine("A pattern '*.example.com' allows every subdomain; '*' allows any host.")
            .ToString();
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    // Kestrel has validated the Host's characters; this keeps the echo short and plain anyway.
    private static string Printable(string host)
    {
        var text = new string([.. host.Where(c => c is > ' ' and < '\u007f')]);
        return text.Length <= MaxEchoedLength ? text : text[..MaxEchoedLength] + "…";
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused host '{Host}' from {Remote}: not in the allowed hosts")]
    private partial void LogRefused(string host, string remote);
}
