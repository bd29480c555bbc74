namespace Dashboard.Contracts.Durations;

/// <summary>Which spellings of a duration a place accepts (<see cref="DurationText"/>).</summary>
public enum DurationSyntax
{
    /// <summary>
    /// Prometheus' spelling exactly (<c>500ms</c>, <c>10s</c>, <c>1m30s</c>, <c>1d</c>), nothing around it:
    /// what PromQL, URLs and query windows take.
    /// </summary>
    Prometheus,

    /// <summary>
    /// What configuration takes (environment variables, settings, command-line options): Prometheus' spelling
    /// or .NET's <c>hh:mm:ss</c> (<c>00:00:10</c>, <c>1.02:00:00</c>), blanks around it ignored.
    /// </summary>
    Configuration,
}
