using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Discovery;
using Grpc.Core;
using DestinationClient = Dashboard.Contracts.Destination.Destination.DestinationClient;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// One destination a proxy sends to, as the destination service streams it: the endpoint set kept from the updates, and a
/// loop that subscribes again (1 s doubling to 10 s) whenever the stream cannot open or breaks, keeping the set meanwhile.
/// </summary>
internal sealed partial class DestinationSubscription : IDisposable
{
    internal static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    private readonly GetDestination _request;
    private readonly string _target;
    private readonly (string Namespace, string Name) _service;
    private readonly Dictionary<string, EndpointInfo> _endpoints = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _dropping = new();
    private volatile ResolvedService? _current;
    private long _lastUsed;
    private bool _dropped;
    private bool _disposed;

    /// <param name="service">The Service the target names, if it names one (for a 503 naming it when it has no endpoints).</param>
    public DestinationSubscription(GetDestination request, string target, (string Namespace, string Name) service, ILogger logger)
    {
        _request = request;
        _target = target;
        _service = service;
        _logger = logger;
    }

    /// <summary>The destination as last streamed; null while nothing arrived yet, or the service does not know it.</summary>
    public ResolvedService? Current => _current;

    /// <summary>Completes at the first update of the first stream.</summary>
    public Task FirstUpdate => _first.Task;

    /// <summary>When a request last asked for this destination (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long LastUsed => Interlocked.Read(ref _lastUsed);

    /// <summary>Set once the resolver dropped it for idleness: a request that finds it so subscribes again.</summary>
    public bool Dropped => Volatile.Read(ref _dropped);

    /// <summary>Records a request to the destination; allocates nothing. A full fence: the caller's read of <see cref="Dropped"/> comes after it.</summary>
    public void Touch(long timestamp) => Interlocked.Exchange(ref _lastUsed, timestamp);

    /// <summary>
    /// Drops the subscription if no request touched it since <paramref name="idleSince"/>, and ends its stream. Once
    /// dropped it stays so: a request that finds it afterwards sees <see cref="Dropped"/> and subscribes again, and one
    /// that took it just before is still answered from the set it holds.
    /// </summary>
    public bool TryDrop(long idleSince)
    {
        if (LastUsed > idleSince)
        {
            return false;
        }

        Volatile.Write(ref _dropped, true);
        lock (_dropping)
        {
            if (!_disposed)
            {
                _dropping.Cancel();
            }
        }

        return true;
    }

    public async Task RunAsync(DestinationClient client, DestinationServiceHealth health, TimeProvider time, CancellationToken stop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _dropping.Token);
        var ct = linked.Token;
        var retry = FirstRetry;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    health.StreamOpening();
                    using var call = client.Get(_request, cancellationToken: ct);
                    var fresh = true;
                    while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
                    {
                        // A new stream starts with the whole set: what the last one left is replaced, not merged.
                        Apply(call.ResponseStream.Current, fresh);
                        if (fresh)
                        {
                            health.StreamAnswered();
                        }

                        fresh = false;
                        retry = FirstRetry;
                    }

                    health.StreamEnded(_target, StatusCode.OK, "", retry);
                    LogStreamEnded(_target);
                }
                catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
                {
                    // Closed by the proxy: idle, or shutting down.
                    health.StreamEnded(_target, StatusCode.Cancelled, "", retry);
                    return;
                }
                catch (Exception ex)
                {
                    // Whatever broke it (the service down, restarting, or refusing the target), this loop is the only one keeping the set fresh.
                    var (status, detail) = ex is RpcException rpc ? (rpc.StatusCode, rpc.Status.Detail) : (StatusCode.Unknown, ex.Message);
                    health.StreamEnded(_target, status, detail, retry);
                }

                try
                {
                    await Task.Delay(retry, time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetry.Ticks));
            }
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Called by <see cref="RunAsync"/> as its loop ends: the stream is closed for good.</summary>
    public void Dispose()
    {
        lock (_dropping)
        {
            _disposed = true;
            _dropping.Dispose();
        }
    }

    private void Apply(Update update, bool fresh)
    {
        lock (_endpoints)
        {
            if (fresh)
            {
                _endpoints.Clear();
            }

            var exists = true;
            var service = _current is { } known ? (known.Namespace, known.Name) : _service;
            var opaque = _current?.Opaque ?? false;
            switch (update.KindCase)
            {
                case Update.KindOneofCase.Add:
                    foreach (var endpoint in update.Add.Endpoints)
                    {
                        _endpoints[endpoint.Address] = EndpointMessages.FromMessage(endpoint);
                        opaque = endpoint.Opaque;
                    }

                    break;
                case Update.KindOneofCase.Remove:
                    foreach (var address in update.Remove.Addresses)
                    {
                        _endpoints.Remove(address);
                    }

                    break;
                case Update.KindOneofCase.NoEndpoints:
                    _endpoints.Clear();
                    exists = update.NoEndpoints.Exists;
                    if (update.NoEndpoints.Name.Length > 0)
                    {
                        // Asked by a ClusterIP, the proxy knows the Service only from the service's answer.
                        service = (update.NoEndpoints.Namespace, update.NoEndpoints.Name);
                    }

                    break;
                default:
                    return;
            }

            // Each update replaces the answer whole: a request holding the previous one balances over a consistent set.
            var first = _endpoints.Values.FirstOrDefault();
            _current = !exists ? null
                : new ResolvedService(first?.Labels.Namespace ?? service.Namespace, first?.Labels.Service ?? service.Name, [.. _endpoints.Values], opaque);
        }

        _first.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Destination service: the stream of {Target} ended; keeping its endpoints and subscribing again")]
    private partial void LogStreamEnded(string target);
}
