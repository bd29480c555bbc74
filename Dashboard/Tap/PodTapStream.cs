using System.Net.WebSockets;
using Dashboard.Contracts.Durations;
using Dashboard.Contracts.Tap;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dashboard.Tap;

/// <summary>
/// The stream of one pod's proxy: a SignalR (MessagePack) connection to its tap hub, reconnected with backoff while
/// the proxy is unreachable, given up when the proxy refuses. Events go to the session's bounded buffer.
/// </summary>
internal sealed partial class PodTapStream(TapTarget target, TapRequest request, TapConnectionOptions options,
    Action<TappedEvent> publish, Action<PodTapStream> changed, TimeProvider time, ILogger logger)
{
    private long _events;
    private bool _connected;
    private volatile string? _proxyRefusal;

    public TapTarget Target => target;
    public TapPodState State { get; private set; } = TapPodState.Connecting;
    public string? Reason { get; private set; }
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Refused for the credential (token or identity), or tap is off on the proxy (not for a bad request, nor a proxy that is not the pod's).</summary>
    public bool Denied { get; private set; }

    public TapPodStatus Status => new(target.Namespace, target.Pod, State, Reason, Events, Denied);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = options.RetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await StreamOnceAsync(cancellationToken).ConfigureAwait(false);
                Report(TapPodState.Unreachable, "the proxy ended the stream (shutting down?)");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (Refusal(ex) is { } refusal)
            {
                Denied = ex is not HubException && _proxyRefusal is null;
                Report(TapPodState.Refused, refusal);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Report(TapPodState.Unreachable, Describe(ex));
            }

            if (_connected)
            {
                // It streamed before breaking: a fresh failure, so the backoff starts over.
                (_connected, delay) = (false, options.RetryDelay);
            }

            LogRetry(logger, target.Key, Reason, delay);
            try
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
        }
    }

    private async Task StreamOnceAsync(CancellationToken cancellationToken)
    {
        _proxyRefusal = null;
        var identity = options.Identity;
        var tls = identity is null ? null : TapTls.Handler(identity, TapTls.ProxyIdentityOf(target, identity.TrustDomain), time, r => _proxyRefusal = r);
        var connection = new HubConnectionBuilder()
            .WithUrl(tls is null ? target.Hub : TapTls.Secure(target.Hub), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                if (tls is null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(options.Token);
                }
                else
                {
                    o.HttpMessageHandlerFactory = _ => tls;
                    o.WebSocketFactory = (context, cancel) => TapTls.ConnectWebSocketAsync(context.Uri, tls, cancel);
                }
            })
            .AddMessagePackProtocol()
            .Build();
        await using (connection.ConfigureAwait(false))
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(options.ConnectTimeout);
                try
                {
                    await connection.StartAsync(connect.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no answer from {target.Hub.Authority} within {DurationText.Format(options.ConnectTimeout)}");
                }
            }

            // Connected with the credential accepted: streaming, even while the pod is quiet. A bad request
            // comes back as a HubException from the stream.
            _connected = true;
            Report(TapPodState.Streaming, null);
            await foreach (var tapEvent in connection.StreamAsync<TapEvent>(TapRoutes.WatchMethod, request, cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _events);
                publish(new TappedEvent(target.Key, tapEvent));
            }
        }
    }

    private void Report(TapPodState state, string? reason)
    {
        State = state;
        Reason = reason;
        changed(this);
    }

    /// <summary>Why the proxy refused, for failures that a retry would not mend; null for the others.</summary>
    private string? Refusal(Exception ex)
    {
        var status = ex switch
        {
            HttpRequestException { StatusCode: { } code } => (int)code,
            WebSocketException when ex.Message.Contains("'401'", StringComparison.Ordinal) => 401,
            WebSocketException when ex.Message.Contains("'403'", StringComparison.Ordinal) => 403,
            _ => 0,
        };
        if (ex is TapRefusedException refused)
        {
            return $"refused ({refused.Status}): {refused.Message}";
        }

        if (_proxyRefusal is { } proxy && ex is HttpRequestException)
        {
            return $"the proxy did not prove the pod's identity: {proxy}";
        }

        return status switch
        {
            401 => $"the proxy refused the tap credential (401): {options.TokenSource} differs from the proxy's {Contracts.Proxy.ProxyEnvironment.TapToken}",
            403 => $"tap is disabled on this proxy (403): its {Contracts.Proxy.ProxyEnvironment.TapToken} is not set",
            _ when ex is HubException hub => $"the proxy refused the tap request: {hub.Message}",
            _ => null,
        };
    }

    private string Describe(Exception ex) => ex switch
    {
        HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } =>
            $"cannot connect to {target.Hub.Authority}: {socket.SocketErrorCode switch { System.Net.Sockets.SocketError.ConnectionRefused => "connection refused", var e => e.ToString() }}",
        HttpRequestException { StatusCode: { } code } => $"{target.Hub.Authority} answered {(int)code} {code}",
        TimeoutException or TapClientNotReadyException => ex.Message,
        _ => $"the stream from {target.Hub.Authority} broke: {ex.GetBaseException().Message}",
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "tap of {Pod}: {Reason}; retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, string pod, string? reason, TimeSpan delay);
}
