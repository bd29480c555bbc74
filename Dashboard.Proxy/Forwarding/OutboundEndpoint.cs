using Dashboard.Contracts.Utils;
using Dashboard.Proxy.Metrics;

namespace Dashboard.Proxy.Forwarding;

/// <summary>An outbound destination with its metric series, cached per proxy instance.</summary>
internal sealed class OutboundEndpoint
{
    private readonly BoundedCache<string, TargetMetrics> _targets;
    private readonly ProxyMetrics _metrics;
    /// <summary>The <c>target_addr</c> of its series: its address, or empty for the series hosts past the bound share.</summary>
    private readonly string _targetAddr;
    /// <summary>Whether every authority is counted in the one series of <see cref="SharedByDnsHosts"/>.</summary>
    private readonly bool _sharedByDnsHosts;

    /// <param name="tls">How traffic to this destination is secured: toward a server identity, or the reason it is not.</param>
    public OutboundEndpoint(ProxyMetrics metrics, string address, DestinationLabels? labels, TlsLabels tls)
        : this(metrics, address, address, labels, tls, sharedByDnsHosts: false)
    {
    }

    private OutboundEndpoint(ProxyMetrics metrics, string address, string targetAddr, DestinationLabels? labels, TlsLabels tls, bool sharedByDnsHosts)
    {
        _targets = ProxyMetrics.PerAuthority<TargetMetrics>();
        _metrics = metrics;
        _targetAddr = targetAddr;
        _sharedByDnsHosts = sharedByDnsHosts;
        Address = address;
        Prefix = "http://" + address;
        Labels = labels;
        Tls = tls;
        Tcp = metrics.OutboundDestinationTcp(targetAddr, labels, tls);
        TapLabels = labels is null ? null : new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["namespace"] = labels.Namespace,
            ["service"] = labels.Service,
            ["deployment"] = labels.Deployment ?? "",
            ["pod"] = labels.Pod ?? "",
        };
    }

    private OutboundEndpoint(OutboundEndpoint series, string address)
    {
        _targets = series._targets;
        _metrics = series._metrics;
        _targetAddr = series._targetAddr;
        _sharedByDnsHosts = series._sharedByDnsHosts;
        Address = address;
        Prefix = "http://" + address;
        Labels = series.Labels;
        Tls = series.Tls;
        Tcp = series.Tcp;
        TapLabels = series.TapLabels;
    }

    public string Address { get; }
    public string Prefix { get; }
    public DestinationLabels? Labels { get; }
    public TlsLabels Tls { get; }
    /// <summary>The identity the destination must prove over mTLS, or null for plaintext.</summary>
    public string? ServerIdentity => Tls.IsTls ? Tls.ServerId : null;
    public TcpSeries Tcp { get; }
    public Dictionary<string, string>? TapLabels { get; }

    /// <summary>
    /// The one series of the hosts forwarded by DNS once <see cref="ProxyMetrics.MaxAuthorities"/> of them have their own:
    /// <c>authority</c> and <c>target_addr</c> empty. <see cref="At"/> gives each such host its endpoint.
    /// </summary>
    public static OutboundEndpoint SharedByDnsHosts(ProxyMetrics metrics) => new(metrics, "", "", null, metrics.OutboundWithoutIdentity, sharedByDnsHosts: true);

    /// <summary>An endpoint at <paramref name="address"/> counted in this endpoint's series.</summary>
    public OutboundEndpoint At(string address) => new(this, address);

    /// <summary>
    /// The series of requests to this destination that named <paramref name="authority"/>, resolved once per authority;
    /// past <see cref="ProxyMetrics.MaxAuthorities"/> authorities, new ones share the series with an empty authority.
    /// </summary>
    public TargetMetrics Target(string authority) =>
        _targets.GetOrAdd(_sharedByDnsHosts ? "" : authority, static (a, self) => self._metrics.Outbound(a, self._targetAddr, self.Labels, self.Tls), this);
}
