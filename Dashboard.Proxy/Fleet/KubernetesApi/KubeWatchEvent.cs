using k8s;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>An event as one watcher sees it, after its filter has been applied.</summary>
internal readonly record struct KubeWatchEvent(WatchEventType Type, KubeObjectEntry Entry)
{
    public string TypeName => Type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };
}
