namespace Dashboard.Contracts.Tap;

/// <summary>Identifies one request: <see cref="Base"/> names the proxy instance, <see cref="Stream"/> the request.</summary>
public sealed record TapId
{
    public int Base { get; init; }
    public long Stream { get; init; }

    public override string ToString() => $"{Base}:{Stream}";
}
