namespace Dashboard.Contracts.Tap;

/// <summary>What a tap subscriber wants to see. Empty filters match everything.</summary>
public sealed record TapRequest
{
    public const int DefaultMaxRps = 100;

    /// <summary><c>inbound</c>, <c>outbound</c> or empty for both.</summary>
    public string? Direction { get; init; }
    public string? Method { get; init; }
    public string? Scheme { get; init; }
    /// <summary>Exact match on the request authority.</summary>
    public string? Authority { get; init; }
    public string? PathPrefix { get; init; }
    /// <summary>Destination labels every tapped request must carry (e.g. <c>dst_deployment=ml</c>).</summary>
    public Dictionary<string, string>? DestinationLabels { get; init; }
    /// <summary>Requests per second admitted into this tap; the three events of a request count once.</summary>
    public double MaxRps { get; init; } = DefaultMaxRps;
    /// <summary>Include request and response headers (sensitive values are always redacted).</summary>
    public bool ExtractHeaders { get; init; }
}
