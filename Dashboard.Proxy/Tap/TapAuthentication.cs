using System.Security.Cryptography;
using System.Text;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.MeshIdentity;

namespace Dashboard.Proxy.Tap;

/// <summary>
/// Admits tap callers: over mesh TLS, the tap client's identity (<see cref="ProxyOptions.TapServiceName"/>, proved by
/// its certificate during the handshake, see <see cref="MeshTls"/>); in plaintext, the proxy's bearer token. Each
/// refusal says why in its body, which the dashboard shows. Without a token and without an identity, tap is off.
/// </summary>
internal static class TapAuthentication
{
    public static Task HandleAsync(HttpContext context, ProxyOptions options, RequestDelegate next)
    {
        if (context.Features.Get<InboundHandshake>() is { } tls)
        {
            return tls.TapRefusal is { } refusal ? RefuseAsync(context, StatusCodes.Status403Forbidden, $"tap refused: {refusal}\n") : next(context);
        }

        if (options.TapToken is not { } expected)
        {
            return RefuseAsync(context, StatusCodes.Status403Forbidden, options.TapServiceName is { } client
                ? $"plaintext tap is disabled on this proxy: {ProxyEnvironment.TapToken} is not set; it streams over mesh TLS to the tap client {client}\n"
                : $"tap is disabled on this proxy: {ProxyEnvironment.TapToken} is not set\n");
        }

        var presented = context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : context.Request.Query["access_token"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected)))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return RefuseAsync(context, StatusCodes.Status401Unauthorized, "tap needs this proxy's tap token: send Authorization: Bearer <token>\n");
        }

        return next(context);
    }

    private static Task RefuseAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(reason);
    }
}
