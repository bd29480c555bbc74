namespace Dashboard.Tap;

/// <summary>A pod whose proxy a tap streams from, and the address of that proxy's tap hub.</summary>
public sealed record TapTarget(string Namespace, string Pod, Uri Hub)
{
    public string Key { get; } = $"{Namespace}/{Pod}";

    /// <summary>The pod's ServiceAccount, which names its proxy's identity (tap over mesh TLS checks it).</summary>
    public string ServiceAccount { get; init; } = Contracts.Identity.IdentityNames.DefaultServiceAccount;
}

/// <summary>What a query resolves to: the pods to stream from, and the pods of the resource that cannot be tapped, with why.</summary>
public sealed record TapTargets(IReadOnlyList<TapTarget> Targets, IReadOnlyList<TapPodStatus> Skipped);
