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
        _targets.GetOrAdd(authority, static (a, self) => self._metrics.Inbound(a, self.Tls), this);
}
