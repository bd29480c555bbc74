using System.Collections.Concurrent;
using System.Reflection;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Utils;
using Prometheus;
using L = Dashboard.Contracts.Metrics.LabelNames;

namespace Dashboard.Proxy.Metrics;

/// <summary>
/// The metric families of one proxy instance, in a registry of its own so that many proxies can share
/// a process (the fleet). prometheus-net needs a fixed label-name set per family: labels that do not
/// apply to a series (e.g. <c>dst_pod</c> on inbound) are exported empty, which Prometheus treats as absent.
/// </summary>
public sealed class ProxyMetrics
{
    /// <summary>Distinct authorities (and outbound, hosts forwarded by DNS) tracked before further ones share one series (cardinality bound).</summary>
    public const int MaxAuthorities = 1000;

    internal static readonly string[] TargetLabels =
    [
        L.Direction, L.Authority, L.TargetAddr, L.Tls, L.NoTlsReason, L.ClientId, L.ServerId,
        L.DstNamespace, L.DstService, L.DstDeployment, L.DstPod,
    ];

    internal static readonly string[] TcpLabels =
    [
        L.Direction, L.Peer, L.Tls, L.NoTlsReason, L.ClientId, L.ServerId, L.TargetAddr,
        L.DstNamespace, L.DstService, L.DstDeployment, L.DstPod,
    ];

    private readonly BoundedCache<string, InboundPeer> _clients = PerAuthority<InboundPeer>();
    // Redirected connections reach the app at the port they were addressed to: a series per app address, bounded as above.
    private readonly BoundedCache<string, TcpSeries> _inboundDestinations = PerAuthority<TcpSeries>();
    private readonly TlsLabels _local;
    private readonly ConcurrentDictionary<string, Counter.Child> _inboundErrors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), Counter.Child> _outboundErrors = new();

    /// <param name="identity">Whether the proxy has an identity: its plaintext series then say why there was no TLS.</param>
    public ProxyMetrics(string appAddress, bool identity = false, string inboundAddress = "")
    {
        AppAddress = appAddress;
        InboundAddress = inboundAddress;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        Requests = factory.CreateCounter(MetricNames.RequestTotal, "Total count of HTTP requests.", TargetLabels);
        Responses = factory.CreateCounter(MetricNames.ResponseTotal, "Total count of HTTP responses.",
            [.. TargetLabels, L.StatusCode, L.Classification, L.GrpcStatus, L.Error]);
        Latency = factory.CreateHistogram(MetricNames.ResponseLatencyMs,
            "Elapsed times between a request's headers being received and its response headers being sent, in milliseconds.",
            new HistogramConfiguration { LabelNames = [.. TargetLabels, L.StatusCode], Buckets = [.. MetricNames.LatencyBucketsMs] });

        TcpOpen = factory.CreateCounter(MetricNames.TcpOpenTotal, "Total count of opened connections.", TcpLabels);
        TcpClose = factory.CreateCounter(MetricNames.TcpCloseTotal, "Total count of closed connections.", [.. TcpLabels, L.Errno]);
        TcpOpenConnections = factory.CreateGauge(MetricNames.TcpOpenConnections, "Number of currently-open connections.", TcpLabels);
        TcpRead = factory.CreateCounter(MetricNames.TcpReadBytesTotal, "Total count of bytes read from peers.", TcpLabels);
        TcpWrite = factory.CreateCounter(MetricNames.TcpWriteBytesTotal, "Total count of bytes written to peers.", TcpLabels);
        TapDropped = factory.CreateCounter(MetricNames.TapDroppedEventsTotal,
            "Tap events dropped because a subscriber's buffer was full.");
        InboundTcpErrors = factory.CreateCounter(MetricNames.InboundTcpErrorsTotal,
            "Inbound connections that could not be processed due to a proxy error.", [L.TargetAddr, L.Error]);
        OutboundTcpErrors = factory.CreateCounter(MetricNames.OutboundTcpErrorsTotal,
            "Outbound connections that could not be processed due to a proxy error.", [L.TargetAddr, L.Error]);
        if (identity)
        {
            CertificateExpiration = factory.CreateGauge(MetricNames.IdentityCertExpirationTimestampSeconds,
                "Time when this proxy's current mTLS identity certificate will expire (in seconds since the UNIX epoch).");
            CertificateRefreshes = factory.CreateCounter(MetricNames.IdentityCertRefreshCount,
                "The total number of times this proxy's mTLS identity certificate has been refreshed by the Identity service.");
        }

        factory.CreateGauge(MetricNames.ProcessStartTimeSeconds, "Time that the process started (in seconds since the UNIX epoch).")
            .Set(ProcessStart.ToUnixTimeMilliseconds() / 1000.0);
        factory.CreateGauge(MetricNames.ProxyBuildInfo, "Proxy build info.", ["version", "vendor"])
            .WithLabels(Version, "dashboard").Set(1);

        _local = identity ? TlsLabels.Loopback : TlsLabels.Disabled;
        OutboundSourceTcp = Tcp(L.Values.Outbound, L.Values.PeerSource, _local, "", null);
        Plaintext = new InboundPeer(this, identity ? TlsLabels.NoTlsFromRemote : TlsLabels.Disabled);
        OutboundWithoutIdentity = identity ? TlsLabels.NotProvidedByServiceDiscovery : TlsLabels.Disabled;
    }

    public static string Version { get; } =
        typeof(ProxyMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static DateTimeOffset ProcessStart { get; } = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public CollectorRegistry Registry { get; }
    public string AppAddress { get; }
    internal Counter Requests { get; }
    internal Counter Responses { get; }
    internal Histogram Latency { get; }
    internal Counter TcpOpen { get; }
    internal Counter TcpClose { get; }
    internal Gauge TcpOpenConnections { get; }
    internal Counter TcpRead { get; }
    internal Counter TcpWrite { get; }
    internal Counter TapDropped { get; }
    internal Counter InboundTcpErrors { get; }
    internal Counter OutboundTcpErrors { get; }
    internal Gauge? CertificateExpiration { get; }
    internal Counter? CertificateRefreshes { get; }
    /// <summary>The inbound listener's address, the <c>target_addr</c> of inbound connection errors.</summary>
    public string InboundAddress { get; }

    /// <summary>Callers that did not start TLS (or every caller, when the proxy has no identity).</summary>
    public InboundPeer Plaintext { get; }

    /// <summary>The tls labels of outbound traffic toward a destination without identity.</summary>
    public TlsLabels OutboundWithoutIdentity { get; }

    /// <summary>Connections accepted from the application by the outbound listener.</summary>
    internal TcpSeries OutboundSourceTcp { get; }
    /// <summary>Connections from the inbound side to the application at <paramref name="targetAddr"/> (<c>host:port</c>).</summary>
    internal TcpSeries InboundDestinationTcp(string targetAddr) =>
        _inboundDestinations.GetOrAdd(targetAddr, static (a, self) => self.Tcp(L.Values.Inbound, L.Values.PeerDestination, self._local, a, null), this);

    /// <summary>
    /// Series per authority (or client identity), bounded: past <see cref="MaxAuthorities"/> the further ones share
    /// the series of the empty authority, so their counts are kept and the cardinality is not.
    /// </summary>
    internal static BoundedCache<string, T> PerAuthority<T>() => new(MaxAuthorities, overflowKey: "", StringComparer.Ordinal);

    /// <summary>A caller that proved <paramref name="clientId"/> over mTLS; one per identity (bounded).</summary>
    public InboundPeer Client(string clientId) =>
        _clients.GetOrAdd(clientId, static (id, self) => new InboundPeer(self, TlsLabels.FromClient(id)), this);

    /// <summary>Counts an inbound connection refused before any request (e.g. its TLS handshake), by reason.</summary>
    public void InboundConnectionFailed(string error) =>
        _inboundErrors.GetOrAdd(error, static (e, self) => self.InboundTcpErrors.WithLabels(self.InboundAddress, e), this).Inc();

    /// <summary>Counts an outbound connection that failed (e.g. the destination's certificate was refused), by reason.</summary>
    public void OutboundConnectionFailed(string targetAddr, string error) =>
        _outboundErrors.GetOrAdd((targetAddr, error), static (k, self) => self.OutboundTcpErrors.WithLabels(k.Item1, k.Item2), this).Inc();

    /// <summary>Records a new workload certificate.</summary>
    public void CertificateRenewed(DateTimeOffset notAfter)
    {
        CertificateExpiration?.Set(notAfter.ToUnixTimeMilliseconds() / 1000.0);
        CertificateRefreshes?.Inc();
    }

    internal TargetMetrics Inbound(string authority, string targetAddr, TlsLabels tls) => new(this, InboundTarget(authority, targetAddr, tls));

    /// <summary>The values of <see cref="TargetLabels"/> for inbound traffic; also what the fleet's synthetic pods export.</summary>
    internal static string[] InboundTarget(string authority, string targetAddr, TlsLabels tls) =>
        [L.Values.Inbound, authority, targetAddr, tls.Tls, tls.NoTlsReason, tls.ClientId, tls.ServerId, "", "", "", ""];

    internal TcpSeries InboundSourceTcp(TlsLabels tls) => Tcp(L.Values.Inbound, L.Values.PeerSource, tls, "", null);

    /// <summary>A series for an outbound target, to be cached by the caller (per destination endpoint).</summary>
    public TargetMetrics Outbound(string authority, string targetAddr, DestinationLabels? dst, TlsLabels tls) =>
        new(this, OutboundTarget(authority, targetAddr, dst, tls));

    /// <summary>The values of <see cref="TargetLabels"/> for outbound traffic; also what the fleet's synthetic pods export.</summary>
    internal static string[] OutboundTarget(string authority, string targetAddr, DestinationLabels? dst, TlsLabels tls) =>
        [L.Values.Outbound, authority, targetAddr, tls.Tls, tls.NoTlsReason, tls.ClientId, tls.ServerId,
            dst?.Namespace ?? "", dst?.Service ?? "", dst?.Deployment ?? "", dst?.Pod ?? ""];

    /// <summary>TCP series for connections the outbound side opens to <paramref name="targetAddr"/>.</summary>
    public TcpSeries OutboundDestinationTcp(string targetAddr, DestinationLabels? dst, TlsLabels tls) =>
        Tcp(L.Values.Outbound, L.Values.PeerDestination, tls, targetAddr, dst);

    private TcpSeries Tcp(string direction, string peer, TlsLabels tls, string targetAddr, DestinationLabels? dst) =>
        TcpSeries.Create(this, TcpTarget(direction, peer, tls, targetAddr, dst));

    /// <summary>The values of <see cref="TcpLabels"/>; also what the fleet's synthetic pods export.</summary>
    internal static string[] TcpTarget(string direction, string peer, TlsLabels tls, string targetAddr, DestinationLabels? dst) =>
        [direction, peer, tls.Tls, tls.NoTlsReason, tls.ClientId, tls.ServerId, targetAddr,
            dst?.Namespace ?? "", dst?.Service ?? "", dst?.Deployment ?? "", dst?.Pod ?? ""];
}
