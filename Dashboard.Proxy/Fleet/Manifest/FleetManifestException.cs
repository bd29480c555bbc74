namespace Dashboard.Proxy.Fleet.Manifest;

/// <summary>One problem in a manifest, where it is and which field.</summary>
public sealed record ManifestProblem(string Source, int Line, int Column, string Field, string Message)
{
    public override string ToString() =>
        Field.Length == 0 ? $"{Source}:{Line}:{Column}: {Message}" : $"{Source}:{Line}:{Column}: {Field}: {Message}";
}

/// <summary>A manifest that cannot be used; <see cref="Exception.Message"/> lists every problem, one per line.</summary>
public sealed class FleetManifestException(IReadOnlyList<ManifestProblem> problems)
    : Exception(string.Join('\n', problems))
{
    public IReadOnlyList<ManifestProblem> Problems { get; } = problems;
}
