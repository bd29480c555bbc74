using System.Text.Json;
using System.Text.Json.Serialization;
using Dashboard.Contracts.Tap;

namespace Dashboard.Tap;

/// <summary>
/// One line of the dashboard's tap stream (<see cref="TapStreamEndpoint"/>, <c>application/x-ndjson</c>): exactly one of
/// <see cref="Pods"/> (the first line: every pod of the query, skipped ones with why), <see cref="Pod"/> (a pod's state
/// changed), <see cref="Event"/> (with the tapped pod and both ends named from the dashboard's inventory) or
/// <see cref="Dropped"/> (the running count of events the stream's reader fell too far behind for).
/// </summary>
public sealed record TapStreamLine
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public IReadOnlyList<TapPodStatus>? Pods { get; init; }
    public TapPodStatus? Pod { get; init; }
    public string? TappedPod { get; init; }
    public TapEvent? Event { get; init; }
    public TapPeer? Source { get; init; }
    public TapPeer? Destination { get; init; }
    public long? Dropped { get; init; }
}
