namespace Dashboard.Metrics;

/// <summary>One series of a range query: its labels and its points, oldest first.</summary>
public sealed record PromSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<PromPoint> Points);

/// <summary>A point of a range query; <see cref="Value"/> is null for <c>NaN</c>.</summary>
public readonly record struct PromPoint(DateTimeOffset Time, double? Value);
