using System.Threading.Channels;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// A watch on one resource type: a snapshot (or the replayed history) plus live events read from
/// a bounded channel. The store never waits for a watcher: when the channel is full the store
/// drops the subscription and completes the channel, so the reader ends its stream and the client
/// re-lists, as it would after the real API server closes a watch on an unresponsive watcher.
/// </summary>
internal sealed class KubeWatchSubscription : IDisposable
{
    private readonly Channel<KubeWatchEvent> _channel;
    private readonly Action<KubeWatchSubscription> _unsubscribe;

    public KubeWatchSubscription(
        Type modelType,
        Func<KubeObjectEntry, bool> filter,
        int capacity,
        Action<KubeWatchSubscription> unsubscribe)
    {
        ModelType = modelType;
        Filter = filter;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<KubeWatchEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public Type ModelType { get; }

    public Func<KubeObjectEntry, bool> Filter { get; }

    /// <summary>Events to send before the live ones: ADDED per existing object, or the history after a resourceVersion.</summary>
    public IReadOnlyList<KubeWatchEvent> Initial { get; internal set; } = [];

    public ChannelReader<KubeWatchEvent> Events => _channel.Reader;

    /// <summary>True when the store dropped this watcher because it did not keep up.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Called by the store under its lock; false means the caller must drop this watcher.</summary>
    internal bool Offer(KubeChange change)
    {
        if (change.ModelType != ModelType || !change.TryTranslate(Filter, out var watchEvent))
        {
            return true;
        }
        if (_channel.Writer.TryWrite(watchEvent))
        {
            return true;
        }
        Overflowed = true;
        _channel.Writer.TryComplete();
        return false;
    }

    public void Dispose()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
