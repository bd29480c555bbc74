using System.Security.Cryptography;
using System.Text;
using Dashboard.Contracts.Proxy;

namespace Dashboard.Proxy.Tap;

/// <summary>Refuses tap callers without the proxy's bearer token; with no token configured, tap is off.</summary>
internal static class TapAuthentication
{
    /// <param name="token">The token callers must present; null when tap is off.</param>
    public static Task HandleAsync(HttpContext context, string? token, RequestDelegate next)
    {
        if (token is not { } expected)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync($"tap is disabled on this proxy: {ProxyEnvironment.TapToken} is not set\n");
        }

        var presented = context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : context.Request.Query["access_token"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected)))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return context.Response.WriteAsync("tap needs this proxy's tap token: send Authorization: Bearer <token>\n");
        }

        return next(context);
    }
}
