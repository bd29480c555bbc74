using Dashboard.Contracts.Utils;
using Dashboard.Proxy.Metrics;

namespace Dashboard.Proxy.Forwarding;

/// <summary>An outbound destination with its metric series, cached per proxy instance.</summary>
internal sealed class OutboundEndpoint
{
    private readonly BoundedCache<string, TargetMetrics> _targets = ProxyMetrics.PerAuthority<TargetMetrics>();
    private readonly ProxyMetrics _metrics;

    /// <param name="tls">How traffic to this destination is secured: toward a server identity, or the reason it is not.</param>
    public OutboundEndpoint(ProxyMetrics metrics, string address, DestinationLabels? labels, TlsLabels tls)
    {
        _metrics = metrics;
        Address = address;
        Prefix = "http://" + address;
        Labels = labels;
        Tls = tls;
        Tcp = metrics.OutboundDestinationTcp(address, labels, tls);
        TapLabels = labels is null ? null : new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["namespace"] = labels.Namespace,
            ["service"] = labels.Service,
            ["deployment"] = labels.Deployment ?? "",
            ["pod"] = labels.Pod ?? "",
        };
    }

    public string Address { get; }
    public string Prefix { get; }
    public DestinationLabels? Labels { get; }
    public TlsLabels Tls { get; }
    /// <summary>The identity the destination must prove over mTLS, or null for plaintext.</summary>
    public string? ServerIdentity => Tls.IsTls ? Tls.ServerId : null;
    public TcpSeries Tcp { get; }
    public Dictionary<string, string>? TapLabels { get; }

    /// <summary>The series of requests to this destination that named <paramref name="authority"/>; resolved once per authority.</summary>
    public TargetMetrics Target(string authority) =>
        _targets.GetOrAdd(authority, static (a, self) => self._metrics.Outbound(a, self.Address, self.Labels, self.Tls), this);
}
