namespace Dashboard.Contracts.Tap;

public static class TapRoutes
{
    /// <summary>Path of the SignalR hub on the proxy's tap listener.</summary>
    public const string HubPath = "/tap";

    /// <summary>Hub method streaming <see cref="TapEvent"/>s for a <see cref="TapRequest"/>.</summary>
    public const string WatchMethod = "Watch";

    /// <summary>Header values that never leave the proxy.</summary>
    public static readonly IReadOnlySet<string> RedactedHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "cookie", "set-cookie", "proxy-authorization",
    };
}
