namespace Dashboard.Proxy.Tap;

/// <summary>What a tap filter looks at when a request starts.</summary>
public readonly record struct TapRequestInfo(
    string Direction,
    string Method,
    string Scheme,
    string Authority,
    string Path,
    IReadOnlyDictionary<string, string>? DestinationLabels);
