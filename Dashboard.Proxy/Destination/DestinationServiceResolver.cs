using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Dashboard.Proxy.Forwarding;
using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Discovery;
using Grpc.Net.Client;
using DestinationClient = Dashboard.Contracts.Destination.Destination.DestinationClient;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// Outbound discovery as a client of the destination service: subscribes to an authority or address the first time the
/// proxy sends to it and answers from the set its stream keeps, so the proxy holds only the destinations it uses: one
/// not sent to for the idle timeout is dropped (its stream closed, its endpoints forgotten) and subscribed again when next
/// used, except while the service is unreachable, when the last known endpoints are all there is to route by.
/// </summary>
public sealed partial class DestinationServiceResolver : IDestinationResolver, IAsyncDisposable
{
    /// <summary>
    /// How long the first request to a destination waits for the service's first answer before it goes out as to an
    /// unknown destination (by DNS, unlabelled): long enough for a stream to open on a healthy control plane.
    /// </summary>
    public static readonly TimeSpan FirstUpdateTimeout = TimeSpan.FromSeconds(1);

    private readonly GrpcChannel _channel;
    private readonly DestinationClient _client;
    private readonly Caller _caller;
    private readonly string _namespace;
    private readonly string _clusterDomain;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _idleTimeout;
    private readonly ITimer _sweep;
    private readonly ConcurrentDictionary<(string Kind, string Target), Lazy<(DestinationSubscription Subscription, Task Loop)>> _subscriptions = new();

    /// <param name="address">The service's <c>host:port</c>.</param>
    /// <param name="secure">
    /// Secures each new connection to the service (mesh TLS with the proxy's current certificate, ALPN h2, the service's
    /// identity verified); null speaks prior-knowledge HTTP/2 in plaintext, to a service without identity.
    /// </param>
    /// <param name="idleTimeout">How long a destination not sent to keeps its subscription; by default Linkerd's.</param>
    public DestinationServiceResolver(string address, Caller caller, ILoggerFactory loggers, TimeProvider? time = null, string clusterDomain = "cluster.local",
        Func<Stream, CancellationToken, ValueTask<Stream>>? secure = null, TimeSpan? idleTimeout = null)
    {
        // HTTP/2 with prior knowledge over the connection as given: TCP, or the TLS that `secure` made of it. More than one
        // connection when the streams exceed what the service allows on one (Kestrel: 100), so no subscription queues.
        _channel = GrpcChannel.ForAddress($"http://{address}", new GrpcChannelOptions
        {
            DisposeHttpClient = true,
            HttpHandler = new SocketsHttpHandler
            {
                UseProxy = false,
                EnableMultipleHttp2Connections = true,
                ConnectCallback = secure is null ? null : async (context, ct) => await secure(
                    new NetworkStream(await UpstreamClient.ConnectAsync(context.DnsEndPoint, localAddress: null, ct).ConfigureAwait(false), ownsSocket: true), ct)
                    .ConfigureAwait(false),
            },
        });
        _client = new DestinationClient(_channel);
        _caller = caller;
        _namespace = caller.Namespace is { Length: > 0 } ns ? ns : "default";
        _clusterDomain = clusterDomain;
        _time = time ?? TimeProvider.System;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DestinationServiceResolver>();
        Health = new DestinationServiceHealth(address, () => _subscriptions.Count, _time, loggers.CreateLogger<DestinationServiceHealth>());
        _idleTimeout = idleTimeout ?? Contracts.Proxy.ProxyEnvironment.DefaultDestinationIdleTimeout;
        // Checking at half the timeout drops a destination between one and one and a half timeouts after its last request.
        var sweep = _idleTimeout / 2;
        _sweep = _time.CreateTimer(_ => DropIdle(), null, sweep, sweep);
    }

    /// <summary>How the service answers, for <c>/ready</c> and <c>/metrics</c>.</summary>
    public DestinationServiceHealth Health { get; }

    /// <summary>Subscriptions are made on demand; there is no full view to wait for.</summary>
    public bool IsSynced => true;

    /// <summary>The destinations subscribed to (for logs and tests).</summary>
    public int SubscriptionCount => _subscriptions.Count;

    public ResolvedService? Resolve(string authority) => Subscribe(authority)?.Current;

    public ResolvedService? Resolve(IPEndPoint destination) => Subscribe(destination).Current;

    public ValueTask<ResolvedService?> ResolveAsync(string authority, CancellationToken cancellationToken) =>
        Subscribe(authority) is { } subscription ? WaitAsync(subscription, cancellationToken) : ValueTask.FromResult<ResolvedService?>(null);

    public ValueTask<ResolvedService?> ResolveAsync(IPEndPoint destination, CancellationToken cancellationToken) =>
        WaitAsync(Subscribe(destination), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _sweep.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_subscriptions.Values.Select(s => s.Value.Loop)).ConfigureAwait(false);
        _channel.Dispose();
        _stop.Dispose();
    }

    private async ValueTask<ResolvedService?> WaitAsync(DestinationSubscription subscription, CancellationToken cancellationToken)
    {
        if (!subscription.FirstUpdate.IsCompleted)
        {
            try
            {
                await subscription.FirstUpdate.WaitAsync(FirstUpdateTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException) when (Health.Reachable)
            {
                LogFirstUpdateLate(FirstUpdateTimeout);
            }
            catch (TimeoutException)
            {
                // The outage is logged once, not once per request it delays.
                LogFirstUpdateLateUnreachable(FirstUpdateTimeout);
            }
        }

        return subscription.Current;
    }

    /// <summary>Null for a Host that is no authority: the service would refuse it, and the request goes by DNS as it would anyway.</summary>
    private DestinationSubscription? Subscribe(string authority) =>
        Known(("authority", authority)) ?? SubscribeNew(authority);

    private DestinationSubscription? SubscribeNew(string authority)
    {
        if (!Authority.TryParse(authority, out var parsed))
        {
            return null;
        }

        var service = parsed.TryGetService(_namespace, _clusterDomain, out var ns, out var name) ? (ns, name) : ("", "");
        return Subscribe(("authority", authority), new GetDestination { Authority = authority, Caller = _caller }, service);
    }

    private DestinationSubscription Subscribe(IPEndPoint destination)
    {
        var address = destination.ToString();
        return Known(("address", address)) ?? Subscribe(("address", address), new GetDestination { Address = address, Caller = _caller }, ("", ""));
    }

    /// <summary>
    /// The subscription of a destination asked before, marked as used; null when there is none, or it was dropped for
    /// idleness between the lookup and the mark. Keyed by kind and target as given, so this allocates nothing.
    /// </summary>
    private DestinationSubscription? Known((string Kind, string Target) key)
    {
        if (!_subscriptions.TryGetValue(key, out var entry))
        {
            return null;
        }

        var subscription = entry.Value.Subscription;
        subscription.Touch(_time.GetTimestamp());
        if (!subscription.Dropped)
        {
            return subscription;
        }

        // Make way for a new one (the dropping sweep may not have removed it yet).
        _subscriptions.TryRemove(new KeyValuePair<(string, string), Lazy<(DestinationSubscription, Task)>>(key, entry));
        return null;
    }

    private DestinationSubscription Subscribe((string Kind, string Target) key, GetDestination request, (string, string) service)
    {
        while (true)
        {
            // Lazy: concurrent first requests to one destination open one stream, not one each.
            _subscriptions.GetOrAdd(key, k => new Lazy<(DestinationSubscription, Task)>(() =>
            {
                var subscription = new DestinationSubscription(request, $"{k.Kind} {k.Target}", service, _loggers.CreateLogger<DestinationSubscription>());
                // Used from its creation: a sweep between this and the caller's mark must not take it for idle.
                subscription.Touch(_time.GetTimestamp());
                return (subscription, subscription.RunAsync(_client, Health, _time, _stop.Token));
            }));
            if (Known(key) is { } subscription)
            {
                return subscription;
            }
        }
    }

    private void DropIdle()
    {
        if (!Health.Reachable)
        {
            // Dropped now, a destination could not subscribe again: keep serving from what is known until the service is back.
            return;
        }

        var idleSince = _time.GetTimestamp() - (long)(_idleTimeout.TotalSeconds * _time.TimestampFrequency);
        foreach (var (key, entry) in _subscriptions)
        {
            if (entry.IsValueCreated && entry.Value.Subscription.TryDrop(idleSince))
            {
                _subscriptions.TryRemove(new KeyValuePair<(string, string), Lazy<(DestinationSubscription, Task)>>(key, entry));
                LogDropped(key.Kind, key.Target, _idleTimeout);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Destination service: {Kind} {Target} not used for {Timeout}; unsubscribed")]
    private partial void LogDropped(string kind, string target, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Destination service: no answer within {Timeout}; the request goes out as to an unknown destination")]
    private partial void LogFirstUpdateLate(TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Destination service unreachable: no answer within {Timeout}; the request goes out as to an unknown destination")]
    private partial void LogFirstUpdateLateUnreachable(TimeSpan timeout);
}
