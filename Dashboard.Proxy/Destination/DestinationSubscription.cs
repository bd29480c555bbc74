using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Discovery;
using Grpc.Core;
using DestinationClient = Dashboard.Contracts.Destination.Destination.DestinationClient;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// One destination a proxy sends to, as the destination service streams it: the endpoint set kept from the updates, and a
/// loop that subscribes again (1 s doubling to 10 s) whenever the stream cannot open or breaks, keeping the set meanwhile.
/// </summary>
internal sealed partial class DestinationSubscription
{
    internal static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    private readonly GetDestination _request;
    private readonly string _target;
    private readonly (string Namespace, string Name) _service;
    private readonly Dictionary<string, EndpointInfo> _endpoints = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private volatile ResolvedService? _current;

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

    public async Task RunAsync(DestinationClient client, TimeProvider time, CancellationToken ct)
    {
        var retry = FirstRetry;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var call = client.Get(_request, cancellationToken: ct);
                var fresh = true;
                while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
                {
                    // A new stream starts with the whole set: what the last one left is replaced, not merged.
                    Apply(call.ResponseStream.Current, fresh);
                    fresh = false;
                    retry = FirstRetry;
                }

                LogStreamEnded(_target);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever broke it (the service down, restarting, or refusing the target), this loop is the only one keeping the set fresh.
                LogStreamFailed(_target, ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message, retry);
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

    private void Apply(Update update, bool fresh)
    {
        lock (_endpoints)
        {
            if (fresh)
            {
                _endpoints.Clear();
            }

            var exists = true;
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
                    break;
                default:
                    return;
            }

            // Each update replaces the answer whole: a request holding the previous one balances over a consistent set.
            var first = _endpoints.Values.FirstOrDefault();
            _current = !exists ? null
                : new ResolvedService(first?.Labels.Namespace ?? _service.Namespace, first?.Labels.Service ?? _service.Name, [.. _endpoints.Values], opaque);
        }

        _first.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Destination service: the stream of {Target} failed ({Reason}); keeping its endpoints, retrying in {Retry}")]
    private partial void LogStreamFailed(string target, string reason, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Information, Message = "Destination service: the stream of {Target} ended; keeping its endpoints and subscribing again")]
    private partial void LogStreamEnded(string target);
}
