using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace Dashboard.Proxy.Discovery;

/// <summary>
/// Outbound discovery from the Kubernetes API: lists then watches Services, EndpointSlices and Pods
/// in all namespaces, and answers lookups from an immutable snapshot rebuilt on change.
/// </summary>
public sealed partial class KubernetesDestinationDiscovery : IDestinationResolver, IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly string _defaultNamespace;
    private readonly string _clusterDomain;
    private readonly string _trustDomain;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<(string, string), V1Service> _services = new();
    private readonly ConcurrentDictionary<(string, string), V1EndpointSlice> _slices = new();
    private readonly ConcurrentDictionary<(string, string), V1Pod> _pods = new();
    // Each rebuild sees every object again: a bad annotation is logged once, not at every change of the cluster.
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private Task[] _loops = [];
    private volatile DiscoverySnapshot _snapshot = DiscoverySnapshot.Empty;
    // Completed and replaced at each rebuild: what the destination service's streams wait on.
    private TaskCompletionSource _rebuilt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _listedMask;
    private const int AllListed = 0b111;
    private const int WatchSeconds = 300;
    private long _watchEvents;

    /// <param name="start">False to begin watching only at <see cref="Start"/> (the fleet serves the API it watches).</param>
    /// <param name="trustDomain">The trust domain in which meshed pods' identities are named.</param>
    public KubernetesDestinationDiscovery(IKubernetes client, string defaultNamespace, ILogger logger, string clusterDomain = "cluster.local", bool start = true,
        string trustDomain = Contracts.Identity.IdentityNames.DefaultTrustDomain)
    {
        _client = client;
        _defaultNamespace = defaultNamespace;
        _clusterDomain = clusterDomain;
        _trustDomain = trustDomain;
        _logger = logger;
        if (start)
        {
            Start();
        }
    }

    /// <summary>Lists and watches from now on; idempotent.</summary>
    public void Start()
    {
        if (_loops.Length > 0)
        {
            return;
        }

        _loops =
        [
            WatchLoopAsync("services", 0b001, _services,
                ct => _client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct),
                (rv, ct) => _client.CoreV1.WatchListServiceForAllNamespacesAsync(resourceVersion: rv, timeoutSeconds: WatchSeconds, cancellationToken: ct)),
            WatchLoopAsync("endpointslices", 0b010, _slices,
                ct => _client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: ct),
                (rv, ct) => _client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(resourceVersion: rv, timeoutSeconds: WatchSeconds, cancellationToken: ct)),
            WatchLoopAsync("pods", 0b100, _pods,
                ct => _client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct),
                (rv, ct) => _client.CoreV1.WatchListPodForAllNamespacesAsync(resourceVersion: rv, timeoutSeconds: WatchSeconds, cancellationToken: ct)),
            RebuildLoopAsync(),
        ];
    }

    public bool IsSynced { get; private set; }

    /// <summary>Watch events received so far, of Services, EndpointSlices and Pods together (for the destination service's metrics).</summary>
    public long WatchEvents => Interlocked.Read(ref _watchEvents);

    /// <summary>Number of services in the current view (for logs and tests).</summary>
    public int ServiceCount => _snapshot.ServiceCount;

    public ResolvedService? Resolve(string authority) => _snapshot.Resolve(authority, _defaultNamespace, _clusterDomain);

    /// <summary>The current view; never changed, only replaced by the next rebuild.</summary>
    internal DiscoverySnapshot Snapshot => _snapshot;

    internal string ClusterDomain => _clusterDomain;

    /// <summary>Completes once the current view is no longer <paramref name="seen"/> (at once if it already is not).</summary>
    internal Task WhenChangedAsync(DiscoverySnapshot seen, CancellationToken cancellationToken)
    {
        // Read the signal before the view: a rebuild replaces the view first, then completes this signal.
        var signal = Volatile.Read(ref _rebuilt);
        return ReferenceEquals(_snapshot, seen) ? signal.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
    }

    public ResolvedService? Resolve(IPEndPoint destination) => _snapshot.Resolve(destination);

    /// <summary>A view of this discovery for a pod in <paramref name="namespace"/>, sharing its watches (the fleet's many proxies).</summary>
    public IDestinationResolver ForNamespace(string @namespace) => new NamespaceView(this, @namespace);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _changed.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WatchLoopAsync<T, TList>(string resource, int bit, ConcurrentDictionary<(string, string), T> store,
        Func<CancellationToken, Task<TList>> list, Func<string?, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IKubernetesObject<V1ListMeta>, IItems<T>
    {
        var ct = _stop.Token;
        var backoff = TimeSpan.FromMilliseconds(250);
        var failures = 0;
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var listed = await list(ct).ConfigureAwait(false);
                var seen = listed.Items.Select(Key).ToHashSet();
                foreach (var item in listed.Items)
                {
                    store[Key(item)] = item;
                }

                foreach (var stale in store.Keys.Where(k => !seen.Contains(k)))
                {
                    store.TryRemove(stale, out _);
                }

                if ((Interlocked.Or(ref _listedMask, bit) | bit) == AllListed && !IsSynced)
                {
                    Rebuild();
                }

                Changed();
                backoff = TimeSpan.FromMilliseconds(250);
                failures = 0;
                await foreach (var (type, item) in watch(listed.Metadata?.ResourceVersion, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _watchEvents);
                    if (type == WatchEventType.Deleted)
                    {
                        store.TryRemove(Key(item), out _);
                    }
                    else if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        store[Key(item)] = item;
                    }

                    Changed();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex) when (ex.InnerException is EndOfStreamException)
            {
                // KubernetesClient reports a watch the server ended without any event (a quiet resource reaching
                // timeoutSeconds) this way: a normal end, so list and watch again without counting a failure.
            }
            catch (Exception ex)
            {
                // The API may come up a moment after the proxy (the fleet starts both): warn only when it stays away.
                if (++failures >= 3)
                {
                    LogWatchFailed(resource, _client.BaseUri, ex.Message);
                }

                try
                {
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private void Changed() => _changed.Writer.TryWrite(true);

    private async Task RebuildLoopAsync()
    {
        await foreach (var _ in _changed.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (Volatile.Read(ref _listedMask) == AllListed)
            {
                Rebuild();
            }
        }
    }

    private void Rebuild()
    {
        _snapshot = DiscoverySnapshot.Build(_services.Values, _slices.Values, _pods, _trustDomain, _snapshot, problem =>
        {
            if (_reported.TryAdd(problem, true))
            {
                LogBadAnnotation(problem);
            }
        });
        if (!IsSynced)
        {
            IsSynced = true;
            LogSynced(_snapshot.ServiceCount, _client.BaseUri);
        }

        Interlocked.Exchange(ref _rebuilt, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private static (string, string) Key<T>(T item) where T : IKubernetesObject<V1ObjectMeta> =>
        (item.Metadata?.NamespaceProperty ?? "", item.Metadata?.Name ?? "");

    private sealed class NamespaceView(KubernetesDestinationDiscovery discovery, string @namespace) : IDestinationResolver
    {
        public bool IsSynced => discovery.IsSynced;

        public ResolvedService? Resolve(string authority) =>
            discovery._snapshot.Resolve(authority, @namespace, discovery._clusterDomain);

        public ResolvedService? Resolve(IPEndPoint destination) => discovery._snapshot.Resolve(destination);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching {Resource} at {Url} failed, retrying: {Reason}")]
    private partial void LogWatchFailed(string resource, Uri url, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discovery: {Problem}")]
    private partial void LogBadAnnotation(string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discovery synced: {Count} service ports from {Url}")]
    private partial void LogSynced(int count, Uri url);
}
