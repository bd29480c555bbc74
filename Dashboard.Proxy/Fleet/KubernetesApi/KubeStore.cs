using System.Globalization;
using System.Reflection;
using k8s;
using k8s.Models;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// Thread-safe, in-memory store of Kubernetes objects: the state behind <see cref="KubernetesApiServer"/>.
/// The store owns metadata.resourceVersion, one counter over all objects as etcd's revision is, and
/// keeps a bounded history of changes so that a watch can resume after a resourceVersion.
/// Objects are copied in and out, so callers may keep mutating the instances they pass or receive.
/// </summary>
public sealed class KubeStore
{
    /// <summary>Changes kept for watches that resume; older resourceVersions get 410 Expired.</summary>
    public const int DefaultHistoryCapacity = 1024;

    /// <summary>Live events buffered per watcher before the store drops it rather than wait.</summary>
    public const int DefaultWatcherCapacity = 1024;

    private static readonly IComparer<(string Namespace, string Name)> KeyOrder =
        Comparer<(string Namespace, string Name)>.Create(static (a, b) =>
        {
            var byNamespace = string.CompareOrdinal(a.Namespace, b.Namespace);
            return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.Name, b.Name);
        });

    private readonly Lock _lock = new();
    private readonly Dictionary<Type, SortedDictionary<(string Namespace, string Name), KubeObjectEntry>> _objects = [];
    private readonly KubeChangeFeed _feed;
    private readonly TimeProvider _timeProvider;
    private long _resourceVersion;

    public KubeStore(
        TimeProvider? timeProvider = null,
        int historyCapacity = DefaultHistoryCapacity,
        int watcherCapacity = DefaultWatcherCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(watcherCapacity, 1);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _feed = new KubeChangeFeed(historyCapacity, watcherCapacity);
    }

    /// <summary>The resourceVersion of the latest change.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>
    /// Adds or replaces an object, keyed by namespace and name. Fills kind and apiVersion from the
    /// model type, keeps uid and creationTimestamp across updates (new ones when missing) and
    /// assigns the next resourceVersion. Watchers get ADDED or MODIFIED.
    /// </summary>
    public void Upsert<T>(T obj) where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentException.ThrowIfNullOrEmpty(obj.Metadata?.Name, nameof(obj));
        var copy = Copy(obj);
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>();
        copy.ApiVersion ??= entity?.Group is { Length: > 0 } group ? $"{group}/{entity.ApiVersion}" : entity?.ApiVersion;
        copy.Kind ??= entity?.Kind;
        var meta = copy.Metadata;
        var key = Key(meta.NamespaceProperty, meta.Name);
        lock (_lock)
        {
            var objects = ObjectsOf(typeof(T));
            objects.TryGetValue(key, out var previous);
            meta.Uid ??= previous?.Object.Metadata.Uid ?? Guid.NewGuid().ToString();
            meta.CreationTimestamp ??= previous?.Object.Metadata.CreationTimestamp ?? Now();
            var entry = Stamp(copy, ++_resourceVersion);
            objects[key] = entry;
            _feed.Publish(new KubeChange(previous, entry, Deleted: false));
        }
    }

    /// <summary>Removes an object; watchers get DELETED carrying the deletion's resourceVersion.</summary>
    public bool Delete<T>(string? @namespace, string name) where T : IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            if (!ObjectsOf(typeof(T)).Remove(Key(@namespace, name), out var previous))
            {
                return false;
            }
            var gone = KubernetesJson.Deserialize<T>(previous.Json);
            _feed.Publish(new KubeChange(previous, Stamp(gone, ++_resourceVersion), Deleted: true));
            return true;
        }
    }

    /// <summary>Copies of the objects of one type, in one namespace or all, ordered by namespace then name.</summary>
    public IReadOnlyList<T> List<T>(string? @namespace = null) where T : IKubernetesObject<V1ObjectMeta> =>
        [.. Snapshot(typeof(T), @namespace).Entries.Select(static e => KubernetesJson.Deserialize<T>(e.Json))];

    /// <summary>A copy of one object, or null.</summary>
    public T? Get<T>(string? @namespace, string name) where T : IKubernetesObject<V1ObjectMeta>
    {
        var entry = GetEntry(typeof(T), @namespace, name);
        return entry is null ? default : KubernetesJson.Deserialize<T>(entry.Json);
    }

    internal KubeObjectEntry? GetEntry(Type modelType, string? @namespace, string name)
    {
        lock (_lock)
        {
            return ObjectsOf(modelType).GetValueOrDefault(Key(@namespace, name));
        }
    }

    /// <summary>The entries of one type with the resourceVersion they were read at, taken atomically.</summary>
    internal (IReadOnlyList<KubeObjectEntry> Entries, long ResourceVersion) Snapshot(Type modelType, string? @namespace)
    {
        lock (_lock)
        {
            var entries = ObjectsOf(modelType).Values.Where(e => @namespace is null || e.Namespace == @namespace);
            return ([.. entries], _resourceVersion);
        }
    }

    /// <summary>
    /// Subscribes to changes of one type. Without a resourceVersion the subscription starts with
    /// ADDED for every matching object; with one it starts with the history after it. Returns null
    /// when that resourceVersion is older than the history kept (the caller answers 410 Expired).
    /// </summary>
    internal KubeWatchSubscription? Watch(Type modelType, Func<KubeObjectEntry, bool> filter, long? afterResourceVersion)
    {
        lock (_lock)
        {
            return _feed.Subscribe(modelType, filter, afterResourceVersion, ObjectsOf(modelType).Values, Unsubscribe);
        }
    }

    /// <summary>The oldest resourceVersion a watch can resume from.</summary>
    internal long OldestResumableVersion
    {
        get
        {
            lock (_lock)
            {
                return _feed.OldestResumableVersion;
            }
        }
    }

    private void Unsubscribe(KubeWatchSubscription subscription)
    {
        lock (_lock)
        {
            _feed.Remove(subscription);
        }
    }

    private SortedDictionary<(string Namespace, string Name), KubeObjectEntry> ObjectsOf(Type modelType)
    {
        if (!_objects.TryGetValue(modelType, out var objects))
        {
            objects = new(KeyOrder);
            _objects[modelType] = objects;
        }
        return objects;
    }

    private static KubeObjectEntry Stamp<T>(T obj, long resourceVersion) where T : IKubernetesObject<V1ObjectMeta>
    {
        obj.Metadata.ResourceVersion = resourceVersion.ToString(CultureInfo.InvariantCulture);
        return new KubeObjectEntry(typeof(T), obj, KubernetesJson.Serialize(obj), resourceVersion);
    }

    private static T Copy<T>(T obj) where T : IKubernetesObject<V1ObjectMeta> =>
        KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    private static (string, string) Key(string? @namespace, string name) => (@namespace ?? "", name);

    // The API server stamps whole seconds (RFC 3339 without fractions).
    private DateTime Now()
    {
        var now = _timeProvider.GetUtcNow();
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
