using Dashboard.Contracts.Utils;

namespace Dashboard.Proxy.Metrics;

/// <summary>
/// Who is calling in, as far as TLS tells: a client identity, or plaintext. Set on each inbound connection once
/// (after its handshake), so the request path finds its series without looking at certificates.
/// </summary>
public sealed class InboundPeer
{
    private readonly ProxyMetrics _metrics;
    private readonly BoundedCache<string, TargetMetrics> _targets = ProxyMetrics.PerAuthority<TargetMetrics>();
    // Redirected connections name the app's port themselves: a series per authority and port, bounded as above.
    private readonly BoundedCache<(string Authority, string TargetAddr), TargetMetrics> _redirected = new(ProxyMetrics.MaxAuthorities, overflowKey: ("", ""), null);

    internal InboundPeer(ProxyMetrics metrics, TlsLabels tls)
    {
        _metrics = metrics;
        Tls = tls;
        Tcp = metrics.InboundSourceTcp(tls);
    }

    public TlsLabels Tls { get; }

    /// <summary>Connections from this peer, counted once accepted (after the TLS handshake for mTLS).</summary>
    internal TcpSeries Tcp { get; }

    /// <summary>The series of requests from this peer that named <paramref name="authority"/>; resolved once per authority.</summary>
    public TargetMetrics Target(string authority) =>
        _targets.GetOrAdd(authority, static (a, self) => self._metrics.Inbound(a, self._metrics.AppAddress, self.Tls), this);

    /// <summary>The series of requests from this peer that named <paramref name="authority"/> and went to the app at <paramref name="targetAddr"/>.</summary>
    public TargetMetrics Target(string authority, string targetAddr) =>
        _redirected.GetOrAdd((authority, targetAddr), static (k, self) => self._metrics.Inbound(k.Authority, k.TargetAddr, self.Tls), this);
}
