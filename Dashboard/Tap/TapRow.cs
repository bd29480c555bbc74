using System.Text.Json.Serialization;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Tap;

namespace Dashboard.Tap;

/// <summary>
/// One request as tap shows it: its three events (request init, response init, response end) folded into one row
/// by <see cref="TapRowFolder"/>. Filled in as the events arrive; <see cref="IsComplete"/> once the response ended.
/// </summary>
public sealed class TapRow
{
    /// <summary>Orders rows by arrival within a session; unique, so also a render key.</summary>
    public long Sequence { get; init; }
    /// <summary>The tapped pod (<c>namespace/name</c>) whose proxy saw the request.</summary>
    public required string Pod { get; init; }
    public required TapId Id { get; init; }
    public required string Direction { get; init; }
    /// <summary><c>ip:port</c> of the caller.</summary>
    public required string Source { get; init; }
    /// <summary>The caller's pod name when known (proxy labels, or its IP in the inventory).</summary>
    public string? SourcePod { get; init; }
    public required string Destination { get; init; }
    public string? DestinationPod { get; init; }
    public required string Tls { get; init; }
    public DateTimeOffset StartedAt { get; init; }

    public string? Method { get; init; }
    public string? Scheme { get; init; }
    public string? Authority { get; init; }
    public string? Path { get; init; }
    public IReadOnlyList<TapHeader>? RequestHeaders { get; init; }

    public int? Status { get; set; }
    /// <summary>From request start to response headers, as the proxy measured it.</summary>
    public double? LatencyMs { get; set; }
    public IReadOnlyList<TapHeader>? ResponseHeaders { get; set; }

    /// <summary>From response headers to the end of the response body.</summary>
    public double? DurationMs { get; set; }
    public long? ResponseBytes { get; set; }
    public int? GrpcStatus { get; set; }
    /// <summary>Why the stream was reset or failed (e.g. <c>connection_refused</c>, <c>timeout</c>), if it was.</summary>
    public string? Error { get; set; }
    public bool IsComplete { get; set; }

    /// <summary>
    /// How many matching requests this row stands for: one, plus those the rate budget refused on this pod
    /// since the previous row of the pod (from the proxy's matched count).
    /// </summary>
    [JsonIgnore]
    public long Represents { get; init; } = 1;

    /// <summary>Linkerd's classification (HTTP 5xx, failing gRPC status, or an error); null before the response.</summary>
    public bool? IsSuccess => Status is not { } status ? null : Error is null && Classification.IsSuccess(status, GrpcStatus);

    /// <summary>The caller as <c>top</c> names it: its pod, or its IP.</summary>
    [JsonIgnore]
    public string SourceName => SourcePod ?? Host(Source);

    [JsonIgnore]
    public string DestinationName => DestinationPod ?? Host(Destination);

    /// <summary>The path without its query string, as <c>top</c> groups it.</summary>
    [JsonIgnore]
    public string Route => Path is { } path && path.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? path[..q] : Path ?? "";

    private static string Host(string address)
    {
        var colon = address.LastIndexOf(':');
        // "[::1]:80" and "10.0.0.1:80" lose the port; a bare IPv6 address keeps all of it.
        return colon > 0 && (address[0] == '[' ? address[colon - 1] == ']' : address.IndexOf(':', StringComparison.Ordinal) == colon)
            ? address[..colon].Trim('[', ']')
            : address;
    }
}
