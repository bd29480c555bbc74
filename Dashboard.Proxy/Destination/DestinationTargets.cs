using Dashboard.Proxy.Discovery;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// The targets streams are open for, each resolved once per rebuilt view by one loop: a change wakes only the streams of
/// the targets whose answer changed (about 25 of 5,000 at 1,000 proxies), not every stream on every rebuild, and a
/// waiting stream holds no timer, registration or task that a change elsewhere would replace.
/// </summary>
internal sealed class DestinationTargets : IAsyncDisposable
{
    private readonly KubernetesDestinationDiscovery _discovery;
    private readonly Dictionary<string, Target> _targets = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public DestinationTargets(KubernetesDestinationDiscovery discovery)
    {
        _discovery = discovery;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The target named <paramref name="key"/>, shared by every stream asking the same; release it with <see cref="Release"/>.</summary>
    public Target Acquire(string key, Func<DiscoverySnapshot, ResolvedService?> resolve)
    {
        lock (_targets)
        {
            if (!_targets.TryGetValue(key, out var target))
            {
                target = new Target(resolve);
                _targets[key] = target;
                if (_discovery.IsSynced)
                {
                    target.Set(resolve(_discovery.Snapshot));
                }
            }

            target.Holders++;
            return target;
        }
    }

    public void Release(string key, Target target)
    {
        lock (_targets)
        {
            if (--target.Holders == 0)
            {
                _targets.Remove(key);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var snapshot = _discovery.Snapshot;
        var targets = new List<Target>();
        try
        {
            while (true)
            {
                await _discovery.WhenChangedAsync(snapshot, _stop.Token).ConfigureAwait(false);
                snapshot = _discovery.Snapshot;
                // Before the first full list every destination would look unknown: answer from a synced view only.
                if (!_discovery.IsSynced)
                {
                    continue;
                }

                lock (_targets)
                {
                    targets.AddRange(_targets.Values);
                }

                foreach (var target in targets)
                {
                    target.Set(target.Resolve(snapshot));
                }

                targets.Clear();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>One target's answer in the latest synced view, and a signal completed when it changes.</summary>
    internal sealed class Target(Func<DiscoverySnapshot, ResolvedService?> resolve)
    {
        private bool _known;
        private ResolvedService? _current;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Func<DiscoverySnapshot, ResolvedService?> Resolve { get; } = resolve;

        /// <summary>Streams holding it (under the owner's lock).</summary>
        public int Holders { get; set; }

        /// <summary>Whether it was resolved in a synced view yet, the answer, and the signal of the next change.</summary>
        public (bool Known, ResolvedService? Current, Task Changed) State
        {
            get
            {
                lock (this)
                {
                    return (_known, _current, _changed.Task);
                }
            }
        }

        /// <summary>A rebuild keeps the object of a service whose endpoints did not change: then nobody is woken.</summary>
        public void Set(ResolvedService? current)
        {
            TaskCompletionSource changed;
            lock (this)
            {
                if (_known && ReferenceEquals(current, _current))
                {
                    return;
                }

                (_known, _current, changed) = (true, current, _changed);
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }
    }
}
