namespace Dashboard.Model;

/// <summary>A resource's traffic over a window, one point per step, for its charts. Null values are gaps ("no data").</summary>
public sealed record Timeline(IReadOnlyList<TimelinePoint> Points, TimeSpan Step)
{
    public static Timeline Empty { get; } = new([], TimeSpan.Zero);

    /// <summary>The P99 of the requests of each caller (meshed callers by name, then the unmeshed clients), one value per point.</summary>
    public IReadOnlyList<CallerLine> Callers { get; init; } = [];

    /// <summary>Whether any point carries traffic.</summary>
    public bool HasTraffic => Points.Any(p => p.Rps > 0);
}

/// <param name="SuccessRate">Successes / responses over the point's rate window; null without responses.</param>
/// <param name="Rps">Responses per second.</param>
public readonly record struct TimelinePoint(DateTimeOffset Time, double? SuccessRate, double? Rps, double? P50Ms, double? P95Ms, double? P99Ms);

/// <summary>One caller's line of the "P99 by caller" chart.</summary>
/// <param name="Name">The caller's name (<c>namespace/name</c> from another namespace), or "unmeshed clients".</param>
/// <param name="P99Ms">One value per point of the timeline; null is a gap.</param>
public sealed record CallerLine(string Name, IReadOnlyList<double?> P99Ms);
