using k8s;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// One change in the store's history. It keeps the previous version too, so that a filtered watch
/// can tell an object entering its selection (ADDED) from one leaving it (DELETED), as the real
/// API server's watch cache does when labels change.
/// </summary>
internal sealed record KubeChange(KubeObjectEntry? Previous, KubeObjectEntry Current, bool Deleted)
{
    public Type ModelType => Current.ModelType;

    public long ResourceVersion => Current.ResourceVersion;

    public bool TryTranslate(Func<KubeObjectEntry, bool> filter, out KubeWatchEvent watchEvent)
    {
        var matchedBefore = Previous is not null && filter(Previous);
        var matchesNow = !Deleted && filter(Current);
        WatchEventType? type = (matchedBefore, matchesNow) switch
        {
            (true, true) => WatchEventType.Modified,
            (false, true) => WatchEventType.Added,
            (true, false) => WatchEventType.Deleted,
            _ => null,
        };
        watchEvent = type is { } t ? new KubeWatchEvent(t, Current) : default;
        return type is not null;
    }
}
