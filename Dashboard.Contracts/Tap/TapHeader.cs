namespace Dashboard.Contracts.Tap;

/// <summary>A header as tap shows it; <see cref="Redacted"/> headers carry no value.</summary>
public sealed record TapHeader
{
    public required string Name { get; init; }
    public string? Value { get; init; }
    public bool Redacted { get; init; }
}
