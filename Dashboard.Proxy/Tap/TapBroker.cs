using Dashboard.Contracts.Tap;

namespace Dashboard.Proxy.Tap;

/// <summary>
/// The tap subscribers of one proxy instance. The request path reads <see cref="IsActive"/> (one volatile
/// read) and does no other tap work while nobody taps.
/// </summary>
public sealed class TapBroker(int bufferCapacity, TimeProvider time, Action onDropped)
{
    private readonly Lock _lock = new();
    private volatile TapSubscription[] _subscriptions = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _stream;

    public bool IsActive => _subscriptions.Length != 0;

    public int SubscriberCount => _subscriptions.Length;

    public TapSubscription Subscribe(TapRequest request)
    {
        var subscription = new TapSubscription(this, request, bufferCapacity, time, onDropped);
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions, subscription];
            SignalChanged();
        }

        return subscription;
    }

    /// <summary>Completes once at least <paramref name="count"/> subscribers are registered.</summary>
    public async Task WaitForSubscribersAsync(int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_subscriptions.Length >= count)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The subscribers that match and admit this request under their rate budget, or null.</summary>
    public TapSubscription[]? Admit(in TapRequestInfo info)
    {
        List<TapSubscription>? admitted = null;
        foreach (var subscription in _subscriptions)
        {
            if (subscription.Matches(info) && subscription.TryAdmit())
            {
                (admitted ??= []).Add(subscription);
            }
        }

        return admitted?.ToArray();
    }

    public long NextStreamId() => Interlocked.Increment(ref _stream);

    /// <summary>Ends every subscriber's stream (shutdown).</summary>
    public void CompleteAll()
    {
        TapSubscription[] all;
        lock (_lock)
        {
            all = _subscriptions;
            _subscriptions = [];
            SignalChanged();
        }

        foreach (var subscription in all)
        {
            subscription.Complete();
        }
    }

    internal void Remove(TapSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
            SignalChanged();
        }
    }

    private void SignalChanged()
    {
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
