namespace Dashboard.Kubernetes;

public enum InventoryState
{
    /// <summary>Started, no answer yet.</summary>
    Connecting,

    /// <summary>Every resource listed and being watched: the data is live.</summary>
    Connected,

    /// <summary>The API failed; the last data is kept and retries continue with backoff.</summary>
    Unavailable,
}

/// <summary>The inventory's connection to the Kubernetes API, for the "Kubernetes API unreachable" banner.</summary>
/// <param name="Url">The API's address (or the kubeconfig / in-cluster description until the client is built).</param>
/// <param name="Reason">Why it is unavailable, naming the failing resources unless all fail alike; null otherwise.</param>
/// <param name="LastSyncedAt">
/// While Connected the data is live (this is when it connected); otherwise the moment it was last
/// known current, for "data as of …"; null if it never synced.
/// </param>
public sealed record InventoryStatus(InventoryState State, string Url, string? Reason, DateTimeOffset? LastSyncedAt)
{
    public bool IsConnected => State == InventoryState.Connected;
}
