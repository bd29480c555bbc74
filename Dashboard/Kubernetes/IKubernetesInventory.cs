namespace Dashboard.Kubernetes;

/// <summary>
/// What the cluster holds, kept current by watches: pages read <see cref="Current"/> on every render
/// and never list the API themselves.
/// </summary>
public interface IKubernetesInventory
{
    /// <summary>The latest snapshot; <see cref="InventorySnapshot.Empty"/> until the first list.</summary>
    InventorySnapshot Current { get; }

    /// <summary>Whether the API is reachable; when it is not, <see cref="Current"/> keeps the last data.</summary>
    InventoryStatus Status { get; }

    /// <summary>
    /// Calls <paramref name="onChange"/> after <see cref="Current"/> or <see cref="Status"/> changed, at most
    /// once per ~100ms and on a background thread (a component marshals with <c>InvokeAsync</c>).
    /// Dispose the result to stop.
    /// </summary>
    IDisposable Subscribe(Action onChange);

    /// <summary>Completes once every resource has been listed and <see cref="Current"/> holds them all.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
