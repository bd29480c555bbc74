namespace Dashboard.Model;

/// <summary>
/// What was counted for one resource over one window; rates are derived here, at the edge.
/// Counts are <see cref="double"/> because they come from Prometheus' <c>increase()</c>, which
/// extrapolates to the window's edges (12 requests may read 11.7): rounding them to integers would
/// invent precision, and could turn a trickle of traffic into "no data".
/// </summary>
public sealed record StatCounts(
    double Successes,
    double Failures,
    double TlsRequests,
    double WindowSeconds,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms)
{
    public double Total => Successes + Failures;

    /// <summary>Successes / total; null when nothing was counted (shown as "-", never 0%).</summary>
    public double? SuccessRate => Total > 0 ? Successes / Total : null;

    /// <summary>Requests per second over the window; null when nothing was counted.</summary>
    public double? Rps => Total > 0 && WindowSeconds > 0 ? Total / WindowSeconds : null;

    /// <summary>The share of requests that were mTLS; null when nothing was counted.</summary>
    public double? TlsShare => Total > 0 ? TlsRequests / Total : null;
}
