namespace Dashboard.Proxy.Metrics;

/// <summary>Why the proxy could not complete a request; becomes the <c>error</c> label.</summary>
public enum ProxyError
{
    None,
    ConnectionRefused,
    Timeout,
    Reset,
    NoEndpoints,
    Upstream,
    Canceled,
    /// <summary>The mTLS handshake with the destination failed (its certificate was refused, or ours).</summary>
    TlsHandshake,
}

public static class ProxyErrors
{
    public static string Label(ProxyError error) => error switch
    {
        ProxyError.None => "",
        ProxyError.ConnectionRefused => "connection_refused",
        ProxyError.Timeout => "timeout",
        ProxyError.Reset => "reset",
        ProxyError.NoEndpoints => "no_endpoints",
        ProxyError.Canceled => "canceled",
        ProxyError.TlsHandshake => "tls_handshake",
        _ => "upstream",
    };
}
