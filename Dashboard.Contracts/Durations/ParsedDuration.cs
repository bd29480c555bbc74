namespace Dashboard.Contracts.Durations;

/// <summary>
/// A duration read from text, or why it could not be: <see cref="Problem"/> is phrased to follow the quoted
/// input (<c>MESH_PROXY_UPSTREAM_TIMEOUT: 'soon' is not a duration such as …</c>), so each caller names its
/// own key or option in front of it.
/// </summary>
public readonly record struct ParsedDuration
{
    private ParsedDuration(TimeSpan value, string? problem) => (Value, Problem) = (value, problem);

    /// <summary>The duration; zero when <see cref="Problem"/> is set.</summary>
    public TimeSpan Value { get; }

    /// <summary>Null when the text was a duration, else what was expected instead.</summary>
    public string? Problem { get; }

    public bool IsValid => Problem is null;

    public static ParsedDuration Of(TimeSpan value) => new(value, null);

    public static ParsedDuration Refused(string problem) => new(TimeSpan.Zero, problem);
}
