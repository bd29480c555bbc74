using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Kubernetes;

/// <summary>Lists one resource in all namespaces: its items and the resourceVersion to watch from.</summary>
internal delegate Task<(IList<T> Items, string? ResourceVersion)> ListResource<T>(IKubernetes client, CancellationToken cancellationToken);

/// <summary>Watches one resource in all namespaces from a resourceVersion; Status events go to onError.</summary>
internal delegate IAsyncEnumerable<(WatchEventType, T)> WatchResource<T>(
    IKubernetes client, string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);

/// <summary>
/// Mirrors one resource into memory, as client-go's reflector does: list, then watch from the
/// list's resourceVersion; when a watch ends, watch again from the last version seen; on 410
/// Expired, list again; on failure, back off and list again (which also proves the API is back).
/// </summary>
internal sealed class ResourceReflector<T, TItem>(
    string resource,
    ListResource<T> list,
    WatchResource<T> watch,
    Func<T, TItem> project,
    ConnectionTracker tracker,
    InventoryTimings timings,
    TimeProvider timeProvider) : IResourceReflector
    where T : IKubernetesObject<V1ObjectMeta>
{
    // A client-side bound too: a half-open connection would never deliver the server's timeout.
    private static readonly TimeSpan WatchGrace = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(string Namespace, string Name), TItem> _items = new();

    private TimeSpan QuickEnd => TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, timings.WatchTimeout.Ticks / 2));

    public string Resource => resource;

    public IReadOnlyDictionary<(string Namespace, string Name), TItem> Items => _items;

    public async Task RunAsync(IKubernetes client, CancellationToken stopping)
    {
        string? resourceVersion = null;
        var backoff = timings.InitialBackoff;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var (items, listedVersion) = await list(client, stopping).ConfigureAwait(false);
                    Replace(items);
                    resourceVersion = listedVersion ?? "";
                    tracker.Listed(resource);
                    backoff = timings.InitialBackoff;
                }

                var (nextVersion, idle) = await WatchAsync(client, resourceVersion, stopping).ConfigureAwait(false);
                resourceVersion = nextVersion;
                if (idle)
                {
                    // A server that ends (or expires) every watch at once would otherwise be hit in a tight loop.
                    await Task.Delay(backoff, timeProvider, stopping).ConfigureAwait(false);
                    backoff = Grow(backoff);
                }
                else
                {
                    backoff = timings.InitialBackoff;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Gone)
            {
                resourceVersion = null; // an older server's way to say Expired: list again at once
            }
            catch (Exception ex)
            {
                resourceVersion = null;
                tracker.Failed(resource, ex);
                try
                {
                    await Task.Delay(backoff, timeProvider, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = Grow(backoff);
            }
        }
    }

    /// <returns>The version to resume from (null: Expired, list again), and whether the watch ended at once without events.</returns>
    private async Task<(string? ResourceVersion, bool Idle)> WatchAsync(IKubernetes client, string resourceVersion, CancellationToken stopping)
    {
        var expired = false;
        Exception? error = null;
        var events = 0;
        var started = timeProvider.GetTimestamp();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        bounded.CancelAfter(timings.WatchTimeout + WatchGrace);
        var seconds = (int)Math.Max(1, Math.Ceiling(timings.WatchTimeout.TotalSeconds));
        try
        {
            var stream = watch(client, resourceVersion, seconds, OnError, bounded.Token);
            await foreach (var (type, item) in stream.WithCancellation(bounded.Token).ConfigureAwait(false))
            {
                resourceVersion = item.Metadata?.ResourceVersion is { Length: > 0 } seen ? seen : resourceVersion;
                if (type is WatchEventType.Added or WatchEventType.Modified)
                {
                    _items[Key(item)] = project(item);
                }
                else if (type == WatchEventType.Deleted)
                {
                    _items.TryRemove(Key(item), out _);
                }
                else
                {
                    continue; // a bookmark only moves the resourceVersion on
                }

                events++;
                tracker.DataChanged();
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            // The client-side bound: watch again from where this one got to.
        }
        catch (HttpRequestException ex) when (events == 0 && ex.InnerException is EndOfStreamException)
        {
            // KubernetesClient peeks at a watch's first line, so a watch the server ends before any
            // event (timeoutSeconds on a quiet resource) throws instead of ending: a normal end here.
            // A dropped connection fails differently (HttpIOException), and so does the next watch.
        }

        if (error is not null && !expired)
        {
            throw error;
        }

        var idle = events == 0 && timeProvider.GetElapsedTime(started) < QuickEnd;
        return (expired ? null : resourceVersion, idle);

        void OnError(Exception ex)
        {
            if (ex is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
            {
                expired = true;
            }
            else
            {
                error ??= ex;
            }
        }
    }

    private void Replace(IList<T> listed)
    {
        var keys = new HashSet<(string, string)>();
        foreach (var item in listed)
        {
            var key = Key(item);
            keys.Add(key);
            _items[key] = project(item);
        }

        foreach (var gone in _items.Keys.Where(k => !keys.Contains(k)))
        {
            _items.TryRemove(gone, out _);
        }

        tracker.DataChanged();
    }

    private TimeSpan Grow(TimeSpan backoff) => backoff * 2 < timings.MaxBackoff ? backoff * 2 : timings.MaxBackoff;

    private static (string, string) Key(T item) => (item.Metadata?.NamespaceProperty ?? "", item.Metadata?.Name ?? "");
}

/// <summary>A reflector, whatever it mirrors.</summary>
internal interface IResourceReflector
{
    string Resource { get; }

    Task RunAsync(IKubernetes client, CancellationToken stopping);
}
