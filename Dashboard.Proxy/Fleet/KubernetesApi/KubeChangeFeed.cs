namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// The store's bounded history of changes and its watchers. Not thread-safe on purpose: the store
/// calls it under its own lock, so that a snapshot and a new subscription see the same point in
/// history and no change is lost or delivered twice between them.
/// </summary>
internal sealed class KubeChangeFeed(int historyCapacity, int watcherCapacity)
{
    private readonly Queue<KubeChange> _history = new();
    private readonly List<KubeWatchSubscription> _watchers = [];

    /// <summary>Changes after this resourceVersion are all still in the history.</summary>
    public long OldestResumableVersion { get; private set; }

    public void Publish(KubeChange change)
    {
        _history.Enqueue(change);
        while (_history.Count > historyCapacity)
        {
            OldestResumableVersion = _history.Dequeue().ResourceVersion;
        }
        // Backwards, so that a dropped watcher can be removed while iterating.
        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            if (!_watchers[i].Offer(change))
            {
                _watchers.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// Without a resourceVersion the subscription starts with ADDED for every current object that
    /// matches; with one, with the history after it, or null when that history is gone.
    /// </summary>
    public KubeWatchSubscription? Subscribe(
        Type modelType,
        Func<KubeObjectEntry, bool> filter,
        long? afterResourceVersion,
        IEnumerable<KubeObjectEntry> current,
        Action<KubeWatchSubscription> unsubscribe)
    {
        if (afterResourceVersion < OldestResumableVersion)
        {
            return null;
        }
        var subscription = new KubeWatchSubscription(modelType, filter, watcherCapacity, unsubscribe);
        subscription.Initial = afterResourceVersion is { } after
            ? [.. Replay(modelType, filter, after)]
            : [.. current.Where(filter).Select(static e => new KubeWatchEvent(k8s.WatchEventType.Added, e))];
        _watchers.Add(subscription);
        return subscription;
    }

    public void Remove(KubeWatchSubscription subscription) => _watchers.Remove(subscription);

    private IEnumerable<KubeWatchEvent> Replay(Type modelType, Func<KubeObjectEntry, bool> filter, long after)
    {
        foreach (var change in _history)
        {
            if (change.ResourceVersion > after && change.ModelType == modelType && change.TryTranslate(filter, out var e))
            {
                yield return e;
            }
        }
    }
}
