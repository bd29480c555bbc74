namespace Dashboard.Model;

/// <summary>What a resource page's chart plots.</summary>
public enum ChartMetric
{
    SuccessRate,
    Rps,
    Latency,
}
