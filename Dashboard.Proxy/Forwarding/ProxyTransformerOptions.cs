namespace Dashboard.Proxy.Forwarding;

/// <summary>Keys the proxy passes from a request to its HTTP client's connect callback.</summary>
internal static class ProxyTransformerOptions
{
    public static readonly HttpRequestOptionsKey<OutboundEndpoint?> Endpoint = new("Dashboard.Proxy.Endpoint");
}
