namespace Dashboard.Contracts.Tap;

/// <summary>
/// One step of one request seen by a proxy (docs/ARCHITECTURE.md §4). Fields not belonging to
/// <see cref="Kind"/> are null.
/// </summary>
public sealed record TapEvent
{
    public required string Kind { get; init; }
    public required TapId Id { get; init; }
    public required string Direction { get; init; }
    /// <summary><c>ip:port</c> of the peer that sent the request.</summary>
    public required string Source { get; init; }
    /// <summary><c>ip:port</c> the request was sent to.</summary>
    public required string Destination { get; init; }
    public Dictionary<string, string>? SourceLabels { get; init; }
    public Dictionary<string, string>? DestinationLabels { get; init; }
    /// <summary><c>true</c> (mTLS), <c>no_identity</c> (see <see cref="NoTlsReason"/>) or <c>disabled</c> (the proxy has no identity).</summary>
    public required string Tls { get; init; }
    /// <summary>Why a <c>no_identity</c> request was not mTLS: <c>no_tls_from_remote</c>, <c>not_provided_by_service_discovery</c>, …</summary>
    public string? NoTlsReason { get; init; }
    /// <summary>The caller's identity (inbound mTLS).</summary>
    public string? ClientId { get; init; }
    /// <summary>The destination's identity (outbound mTLS).</summary>
    public string? ServerId { get; init; }
    /// <summary>Microseconds since the Unix epoch at which the proxy saw this step.</summary>
    public long TimestampMicros { get; init; }

    // requestInit
    public string? Method { get; init; }
    public string? Scheme { get; init; }
    public string? Authority { get; init; }
    public string? Path { get; init; }
    /// <summary>
    /// Requests that matched this tap's filter on this proxy so far, this one included, whether or not the
    /// tap's rate budget let them through: the share let through is requests seen / the growth of this count.
    /// </summary>
    public long? Matched { get; init; }

    // requestInit and responseInit (when the tap asked for headers)
    public List<TapHeader>? Headers { get; init; }

    // responseInit
    public int? Status { get; init; }
    public long? SinceRequestInitMicros { get; init; }

    // responseEnd
    public long? SinceResponseInitMicros { get; init; }
    public long? ResponseBytes { get; init; }
    public int? GrpcStatus { get; init; }
    public string? ResetError { get; init; }
}
