using System.Collections.Concurrent;
using Dashboard.Contracts.Metrics;
using Prometheus;

namespace Dashboard.Proxy.Metrics;

/// <summary>
/// The series of one target label set. Children are resolved once and cached, so the request path
/// only increments counters.
/// </summary>
public sealed class TargetMetrics
{
    private readonly ProxyMetrics _metrics;
    private readonly string[] _labels;
    private readonly Counter.Child _requests;
    private readonly ConcurrentDictionary<long, ResponseSeries> _responses = new();

    internal TargetMetrics(ProxyMetrics metrics, string[] labels)
    {
        _metrics = metrics;
        _labels = labels;
        _requests = metrics.Requests.WithLabels(labels);
    }

    public void RecordRequest() => _requests.Inc();

    /// <summary>Counts a response and its latency (request headers in to response headers out).</summary>
    public void RecordResponse(int status, int? grpcStatus, ProxyError error, double latencyMs)
    {
        var key = (uint)status | ((long)(grpcStatus + 1 ?? 0) << 16) | ((long)error << 32);
        if (!_responses.TryGetValue(key, out var series))
        {
            series = _responses.GetOrAdd(key, static (_, state) => new ResponseSeries(state.Self, state.status, state.grpcStatus, state.error),
                (Self: this, status, grpcStatus, error));
        }

        series.Total.Inc();
        series.Latency.Observe(latencyMs);
    }

    private sealed class ResponseSeries
    {
        public ResponseSeries(TargetMetrics target, int status, int? grpcStatus, ProxyError error)
        {
            var statusCode = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var success = error == ProxyError.None && Classification.IsSuccess(status, grpcStatus);
            Total = target._metrics.Responses.WithLabels([.. target._labels, statusCode,
                success ? LabelNames.Values.Success : LabelNames.Values.Failure,
                grpcStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                ProxyErrors.Label(error)]);
            Latency = target._metrics.Latency.WithLabels([.. target._labels, statusCode]);
        }

        public Counter.Child Total { get; }
        public Histogram.Child Latency { get; }
    }
}
