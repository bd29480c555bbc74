namespace Dashboard.Metrics;

/// <summary>One series of an instant query. <see cref="Value"/> is null for Prometheus' <c>NaN</c> (no data).</summary>
public sealed record PromSample(IReadOnlyDictionary<string, string> Labels, double? Value)
{
    /// <summary>The value of <paramref name="name"/>, or null when the series does not carry it.</summary>
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : null;
}
