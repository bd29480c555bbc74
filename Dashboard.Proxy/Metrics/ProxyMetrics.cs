using System.Collections.Concurrent;
using System.Reflection;
using Dashboard.Contracts.Metrics;
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
    /// <summary>Distinct inbound authorities tracked before further ones share one series (cardinality bound).</summary>
    public const int MaxAuthorities = 1000;

    internal static readonly string[] TargetLabels =
    [
        L.Direction, L.Authority, L.TargetAddr, L.Tls, L.NoTlsReason, L.ClientId, L.ServerId,
        L.DstNamespace, L.DstService, L.DstDeployment, L.DstPod,
    ];

    internal static readonly string[] TcpLabels =
    [
        L.Direction, L.Peer, L.Tls, L.NoTlsReason, L.TargetAddr,
        L.DstNamespace, L.DstService, L.DstDeployment, L.DstPod,
    ];

    private readonly ConcurrentDictionary<string, TargetMetrics> _inboundTargets = new(StringComparer.Ordinal);

    public ProxyMetrics(string appAddress)
    {
        AppAddress = appAddress;
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

        factory.CreateGauge(MetricNames.ProcessStartTimeSeconds, "Time that the process started (in seconds since the UNIX epoch).")
            .Set(ProcessStart.ToUnixTimeMilliseconds() / 1000.0);
        factory.CreateGauge(MetricNames.ProxyBuildInfo, "Proxy build info.", ["version", "vendor"])
            .WithLabels(Version, "dashboard").Set(1);

        var tcpInbound = TcpSeries.Create(this, [L.Values.Inbound, L.Values.PeerSource, L.Values.TlsDisabled, "", "", "", "", "", ""]);
        InboundSourceTcp = tcpInbound;
        OutboundSourceTcp = TcpSeries.Create(this, [L.Values.Outbound, L.Values.PeerSource, L.Values.TlsDisabled, "", "", "", "", "", ""]);
        InboundDestinationTcp = TcpSeries.Create(this, [L.Values.Inbound, L.Values.PeerDestination, L.Values.TlsDisabled, "", appAddress, "", "", "", ""]);
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

    /// <summary>Connections accepted by the inbound listener.</summary>
    internal TcpSeries InboundSourceTcp { get; }
    /// <summary>Connections accepted from the application by the outbound listener.</summary>
    internal TcpSeries OutboundSourceTcp { get; }
    /// <summary>Connections from the inbound side to the application.</summary>
    internal TcpSeries InboundDestinationTcp { get; }

    /// <summary>The series of inbound requests that named <paramref name="authority"/>; resolved once per authority.</summary>
    public TargetMetrics Inbound(string authority)
    {
        if (_inboundTargets.TryGetValue(authority, out var target))
        {
            return target;
        }

        if (_inboundTargets.Count >= MaxAuthorities)
        {
            authority = "";
        }

        return _inboundTargets.GetOrAdd(authority, static (a, self) => new TargetMetrics(self,
            [L.Values.Inbound, a, self.AppAddress, L.Values.TlsDisabled, "", "", "", "", "", "", ""]), this);
    }

    /// <summary>A series for an outbound target, to be cached by the caller (per destination endpoint).</summary>
    public TargetMetrics Outbound(string authority, string targetAddr, DestinationLabels? dst) =>
        new(this, [L.Values.Outbound, authority, targetAddr, L.Values.TlsDisabled, "", "", "",
            dst?.Namespace ?? "", dst?.Service ?? "", dst?.Deployment ?? "", dst?.Pod ?? ""]);

    /// <summary>TCP series for connections the outbound side opens to <paramref name="targetAddr"/>.</summary>
    public TcpSeries OutboundDestinationTcp(string targetAddr, DestinationLabels? dst) =>
        TcpSeries.Create(this, [L.Values.Outbound, L.Values.PeerDestination, L.Values.TlsDisabled, "", targetAddr,
            dst?.Namespace ?? "", dst?.Service ?? "", dst?.Deployment ?? "", dst?.Pod ?? ""]);
}
