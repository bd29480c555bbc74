namespace Dashboard.Model;

/// <summary>A resource's traffic over a window, one point per step, for its charts. Null values are gaps ("no data").</summary>
public sealed record Timeline(IReadOnlyList<TimelinePoint> Points, TimeSpan Step)
{
    public static Timeline Empty { get; } = new([], TimeSpan.Zero);

    /// <summary>Whether any point carries traffic.</summary>
    public bool HasTraffic => Points.Any(p => p.Rps > 0);
}

/// <param name="SuccessRate">Successes / responses over the point's rate window; null without responses.</param>
/// <param name="Rps">Responses per second.</param>
public readonly record struct TimelinePoint(DateTimeOffset Time, double? SuccessRate, double? Rps, double? P50Ms, double? P95Ms, double? P99Ms);
