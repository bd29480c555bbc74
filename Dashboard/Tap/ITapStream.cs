namespace Dashboard.Tap;

/// <summary>
/// A running tap as its reader sees it: the pods and their states, events in batches, drops. A <see cref="TapSession"/>
/// over the proxies themselves, or (in the CLI) the dashboard's session, streamed.
/// </summary>
public interface ITapStream : IAsyncDisposable
{
    TapQuery Query { get; }

    /// <summary>Every pod of the query with its state and reason; skipped pods too.</summary>
    IReadOnlyList<TapPodStatus> Pods { get; }

    /// <summary>Events lost because the reader fell behind.</summary>
    long Dropped { get; }

    /// <summary>Raised when a pod's state changes: connected, unreachable, refused.</summary>
    event Action<TapPodStatus>? PodChanged;

    IAsyncEnumerable<IReadOnlyList<TappedEvent>> ReadBatchesAsync(int maxBatch = 1000, CancellationToken cancellationToken = default);
}
