namespace Dashboard.Metrics;

/// <summary>
/// A recording rule of <c>docker/prometheus/rules.yml</c>: the series it records, its expression, and the value of
/// the <see cref="PromQl.QuantileLabel"/> label it adds (null: none).
/// </summary>
public sealed record RecordingRuleSpec(string Record, string Expression, string? Quantile = null);
