namespace Dashboard.Metrics;

/// <summary>
/// A recording rule as Prometheus reports it: the series it records, its expression, and the health of its last
/// evaluation (<c>ok</c>, <c>err</c>, or <c>unknown</c> before the first).
/// </summary>
public sealed record RecordingRule(string Name, string Query, string Health, string? LastError)
{
    /// <summary>Its last evaluation succeeded, so the series it records is current.</summary>
    public bool IsHealthy => Health == "ok";
}
