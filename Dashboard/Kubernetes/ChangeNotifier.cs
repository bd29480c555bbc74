namespace Dashboard.Kubernetes;

/// <summary>
/// The subscribers of the inventory. The caller coalesces (one <see cref="Notify"/> per interval);
/// a failing callback is logged and does not stop the others.
/// </summary>
internal sealed class ChangeNotifier(ILogger logger)
{
    private readonly Lock _lock = new();
    private Subscription[] _subscriptions = []; // copied on write, so Notify reads without locking

    public IDisposable Subscribe(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var subscription = new Subscription(this, callback);
        lock (_lock)
        {
            Volatile.Write(ref _subscriptions, [.. _subscriptions, subscription]);
        }

        return subscription;
    }

    public void Notify()
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            try
            {
                subscription.Invoke();
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "An inventory subscriber failed");
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            Volatile.Write(ref _subscriptions, [.. _subscriptions.Where(s => s != subscription)]);
        }
    }

    private sealed class Subscription(ChangeNotifier owner, Action callback) : IDisposable
    {
        private int _disposed;

        public void Invoke()
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                callback();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(this);
            }
        }
    }
}
