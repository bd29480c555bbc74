namespace Dashboard.Tap;

/// <summary>A pod whose proxy a tap streams from, and the address of that proxy's tap hub.</summary>
public sealed record TapTarget(string Namespace, string Pod, Uri Hub)
{
    public string Key { get; } = $"{Namespace}/{Pod}";
}

/// <summary>What a query resolves to: the pods to stream from, and the pods of the resource that cannot be tapped, with why.</summary>
public sealed record TapTargets(IReadOnlyList<TapTarget> Targets, IReadOnlyList<TapPodStatus> Skipped);
