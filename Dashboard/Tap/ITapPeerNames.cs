namespace Dashboard.Tap;

/// <summary>
/// Names the two ends of tapped requests: from the inventory where the tap runs (<see cref="TapPodDirectory"/>), or as
/// the dashboard named them in its stream (the CLI through the dashboard, which may not read the inventory itself).
/// </summary>
public interface ITapPeerNames
{
    /// <summary>The peer of an event: its resource (<c>deploy/ml</c>, or its pod), namespace and pod, as known.</summary>
    TapPeer Peer(IReadOnlyDictionary<string, string>? labels, string address);

    /// <summary>The pod's name at <paramref name="ip"/> (no port): what <see cref="TapRowFolder"/> asks.</summary>
    string? NameOf(string ip);
}

/// <summary>One end of a tapped request; every part is null where nothing names it (an address outside the cluster).</summary>
public sealed record TapPeer(string? Resource, string? Namespace, string? Pod)
{
    public static TapPeer Unknown { get; } = new(null, null, null);
}
