namespace Dashboard.Tap;

public enum TapPodState
{
    /// <summary>Opening the stream to the pod's proxy (also between retries).</summary>
    Connecting,

    /// <summary>The proxy accepted the tap; events flow.</summary>
    Streaming,

    /// <summary>The proxy cannot be reached or its stream broke; retried with backoff.</summary>
    Unreachable,

    /// <summary>The proxy refused the tap (no or wrong credential, tap disabled there, bad request); not retried.</summary>
    Refused,

    /// <summary>Not tapped: not meshed, not running, no IP, or over the pod limit of one tap.</summary>
    Skipped,
}

/// <summary>One targeted pod as the tap sees it, with why it is not streaming when it is not.</summary>
/// <param name="Events">Events received from this pod's proxy in this session.</param>
/// <param name="Denied">Refused for the credential or because tap is off there: no tap can work until configuration changes.</param>
public sealed record TapPodStatus(string Namespace, string Pod, TapPodState State, string? Reason, long Events = 0, bool Denied = false)
{
    public string Key => $"{Namespace}/{Pod}";

    public bool IsProblem => State is TapPodState.Unreachable or TapPodState.Refused;
}
