namespace Dashboard.Security;

/// <summary>What the security middleware adds beyond <c>Dashboard:AllowedHosts</c>.</summary>
public sealed class DashboardSecurityOptions
{
    /// <summary>
    /// Scripts only from the dashboard itself: Blazor Server needs neither eval nor inline scripts.
    /// Inline styles are allowed because MudBlazor sets style attributes; connect-src lists ws: and
    /// wss: for the Blazor circuit's WebSocket; nothing may frame the dashboard (clickjacking).
    /// </summary>
    public const string DefaultContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; " +
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public string ContentSecurityPolicy { get; set; } = DefaultContentSecurityPolicy;

    /// <summary>
    /// Origins, besides the request's own host, allowed to open the Blazor connection, such as
    /// <c>https://dashboard.example.com</c> behind a proxy that rewrites the Host header.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];
}
