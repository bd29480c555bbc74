namespace Dashboard.Tap;

/// <summary>How a tap session talks to the proxies.</summary>
/// <param name="Token">The bearer token of the proxies' tap hubs.</param>
public sealed record TapConnectionOptions(string Token)
{
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
