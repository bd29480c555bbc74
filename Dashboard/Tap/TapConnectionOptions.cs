namespace Dashboard.Tap;

/// <summary>How a tap session talks to the proxies.</summary>
/// <param name="Token">The bearer token of the proxies' tap hubs, for plaintext tap (the fleet's).</param>
public sealed record TapConnectionOptions(string? Token)
{
    /// <summary>
    /// The dashboard's workload identity: when set, tap goes over mesh TLS to each proxy's tap port, presenting its
    /// certificate instead of <see cref="Token"/>, and checks that the proxy is the pod's.
    /// </summary>
    public Contracts.Identity.WorkloadIdentity? Identity { get; init; }

    /// <summary>Where <see cref="Token"/> came from, for the message when a proxy refuses it.</summary>
    public string TokenSource { get; init; } = Configuration.ConfigKeys.TapToken;

    /// <summary>Events held between the proxies and the reader; when full, the oldest go first and are counted.</summary>
    public int BufferCapacity { get; init; } = 10_000;

    /// <summary>Bound of one connection attempt to a proxy.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before reconnecting to an unreachable proxy; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);
}
