namespace Dashboard.Contracts.Metrics;

/// <summary>
/// Metric names the proxy exports. They are Linkerd's (linkerd2-proxy), so PromQL, Grafana dashboards
/// and the dashboard work the same on this proxy and on a cluster meshed by Linkerd (docs/ARCHITECTURE.md §2).
/// </summary>
public static class MetricNames
{
    public const string RequestTotal = "request_total";
    public const string ResponseTotal = "response_total";
    public const string ResponseLatencyMs = "response_latency_ms";
    public const string TcpOpenTotal = "tcp_open_total";
    public const string TcpCloseTotal = "tcp_close_total";
    public const string TcpOpenConnections = "tcp_open_connections";
    public const string TcpReadBytesTotal = "tcp_read_bytes_total";
    public const string TcpWriteBytesTotal = "tcp_write_bytes_total";
    public const string ProcessStartTimeSeconds = "process_start_time_seconds";
    public const string ProxyBuildInfo = "proxy_build_info";
    public const string TapDroppedEventsTotal = "tap_dropped_events_total";

    /// <summary>Gauge: when the proxy's workload certificate expires (Unix seconds), as linkerd2-proxy exports it.</summary>
    public const string IdentityCertExpirationTimestampSeconds = "identity_cert_expiration_timestamp_seconds";
    /// <summary>Counter: workload certificates the proxy obtained (the first and every renewal).</summary>
    public const string IdentityCertRefreshCount = "identity_cert_refresh_count";
    /// <summary>Counter: inbound connections the proxy could not serve, by <c>error</c> (e.g. a refused TLS handshake).</summary>
    public const string InboundTcpErrorsTotal = "inbound_tcp_errors_total";
    /// <summary>Counter: outbound connections the proxy could not open, by <c>error</c>.</summary>
    public const string OutboundTcpErrorsTotal = "outbound_tcp_errors_total";

    /// <summary>Counter: calls to the control plane by <c>addr</c>, as linkerd2-proxy counts them (one per destination stream opened).</summary>
    public const string ControlRequestTotal = "control_request_total";
    /// <summary>Counter: control-plane calls ended, by <c>addr</c>, <c>classification</c> and <c>grpc_status</c> (a stream's end or failure).</summary>
    public const string ControlResponseTotal = "control_response_total";
    /// <summary>Gauge: the destinations the proxy holds a destination-service subscription for, by <c>addr</c>.</summary>
    public const string ControlDestinationSubscriptions = "control_destination_subscriptions";
    /// <summary>Gauge: 1 while the destination service (<c>addr</c>) answers, 0 from a failed stream until one is answered again.</summary>
    public const string ControlDestinationReachable = "control_destination_reachable";

    /// <summary>
    /// Upper bounds (ms) of <see cref="ResponseLatencyMs"/>; +Inf is implied. Linkerd's proxy uses these
    /// exact bounds, so quantiles computed over either proxy fall in the same buckets.
    /// </summary>
    public static readonly IReadOnlyList<double> LatencyBucketsMs =
    [
        1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500,
        1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000,
    ];
}
