using Prometheus;

namespace Dashboard.Proxy.Metrics;

/// <summary>The tcp_* children of one connection label set, resolved once.</summary>
public sealed class TcpSeries
{
    private Counter.Child _open = null!;
    private Counter.Child _closeOk = null!;
    private Counter _close = null!;
    private string[] _labels = null!;
    private Gauge.Child _openConnections = null!;

    internal Counter.Child Read { get; private set; } = null!;
    internal Counter.Child Write { get; private set; } = null!;

    internal static TcpSeries Create(ProxyMetrics metrics, string[] labels) => new()
    {
        _labels = labels,
        _open = metrics.TcpOpen.WithLabels(labels),
        _close = metrics.TcpClose,
        _closeOk = metrics.TcpClose.WithLabels([.. labels, ""]),
        _openConnections = metrics.TcpOpenConnections.WithLabels(labels),
        Read = metrics.TcpRead.WithLabels(labels),
        Write = metrics.TcpWrite.WithLabels(labels),
    };

    public void Opened()
    {
        _open.Inc();
        _openConnections.Inc();
    }

    /// <param name="errno">The socket error that ended the connection, or null for a clean close.</param>
    public void Closed(string? errno)
    {
        _openConnections.Dec();
        (errno is null ? _closeOk : _close.WithLabels([.. _labels, errno])).Inc();
    }
}
