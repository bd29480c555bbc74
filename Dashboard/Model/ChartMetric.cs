namespace Dashboard.Model;

/// <summary>What a resource page's chart plots.</summary>
public enum ChartMetric
{
    SuccessRate,
    Rps,
    Latency,

    /// <summary>P99 per caller, the unmeshed clients included.</summary>
    CallerLatency,

    /// <summary>P99 of a resource and of what its diagnosis names (callers, pods, downstreams), its episodes shaded.</summary>
    Evidence,
}

/// <summary>An interval a chart shades behind its lines, with a label (<c>P99</c>).</summary>
public sealed record ChartBand(DateTimeOffset From, DateTimeOffset To, string Label);
