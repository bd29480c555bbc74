namespace Dashboard.Metrics;

/// <summary>What a table's latency query answers with.</summary>
public enum LatencyAnswer
{
    /// <summary>Bucket rates per row and bound <c>le</c>: the percentiles are computed here (<see cref="HistogramQuantile"/>).</summary>
    Buckets,

    /// <summary>The percentiles per row and <c>quantile</c>, recorded by Prometheus (<see cref="PromQl.RecordedPodQuantilesRule"/>).</summary>
    Quantiles,
}
