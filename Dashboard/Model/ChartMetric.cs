namespace Dashboard.Model;

/// <summary>What a resource page's chart plots.</summary>
public enum ChartMetric
{
    SuccessRate,
    Rps,
    Latency,

    /// <summary>P99 per caller, the unmeshed clients included.</summary>
    CallerLatency,
}
