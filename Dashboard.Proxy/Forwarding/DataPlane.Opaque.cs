using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Metrics;
using Dashboard.Proxy.Transparent;
using Microsoft.AspNetCore.Connections;

namespace Dashboard.Proxy.Forwarding;

/// <summary>Opaque TCP: connections whose bytes are not HTTP, forwarded as they are (<see cref="OpaqueRelay"/>).</summary>
internal sealed partial class DataPlane
{
    /// <summary>The <c>error</c> of an inbound connection refused because it was addressed to the outbound port.</summary>
    private const string OutboundPortRefused = "outbound_port";

    /// <summary>
    /// An inbound connection that is not HTTP: to the app at the port it was addressed to (redirected), or at
    /// <c>MESH_PROXY_APP_ADDR</c>; counted toward the app as HTTP connections are.
    /// </summary>
    public async Task OpaqueInboundAsync(ConnectionContext connection)
    {
        var redirected = connection.Features.Get<RedirectedConnection>();
        if (redirected?.OriginalDestination.Port == _options.OutboundListen.Port)
        {
            // As InboundAsync refuses it: 127.0.0.1 there is the proxy's own outbound listener.
            _metrics.InboundConnectionFailed(OutboundPortRefused);
            connection.Abort(new ConnectionAbortedException($"port {redirected.OriginalDestination.Port} is the proxy's outbound port"));
            return;
        }

        var target = redirected?.LocalApp ?? _options.AppAddress;
        EndPoint to = redirected is null ? AppEndPoint(_options.AppAddress) : new IPEndPoint(IPAddress.Loopback, redirected.OriginalDestination.Port);
        if (await ConnectAsync(to, null, _metrics.InboundDestinationTcp(target), _metrics.InboundConnectionFailed) is not ({ } socket, { } stream))
        {
            connection.Abort(new ConnectionAbortedException($"the app at {target} refused the connection"));
            return;
        }

        await OpaqueRelay.RelayAsync(connection, stream, socket, connection.Features.Get<TcpSeries>());
    }

    /// <summary>
    /// A redirected outbound connection that is not HTTP (or was made to an opaque port): to one endpoint of the Service it
    /// was addressed to (chosen per connection, as requests are), or the pod, with mTLS toward a meshed one; to an address
    /// discovery does not know, unchanged.
    /// </summary>
    public async Task OpaqueOutboundAsync(ConnectionContext connection, RedirectedConnection redirected, ResolvedService? service)
    {
        if (Pick(service, redirected.Address) is not { } endpoint)
        {
            _metrics.OutboundConnectionFailed(redirected.Address, ProxyErrors.Label(ProxyError.NoEndpoints));
            connection.Abort(new ConnectionAbortedException($"service {service!.Namespace}/{service.Name} has no ready endpoints"));
            return;
        }

        var to = endpoint.Address.Length > 0 && IPEndPoint.TryParse(endpoint.Address, out var address) ? address : redirected.OriginalDestination;
        if (await ConnectAsync(to, _options.OutboundSource, endpoint.Tcp, error => _metrics.OutboundConnectionFailed(endpoint.Address, error)) is not ({ } socket, { } stream))
        {
            connection.Abort(new ConnectionAbortedException($"{endpoint.Address} refused the connection"));
            return;
        }

        if (_tls is not null && endpoint.ServerIdentity is { } identity)
        {
            try
            {
                using var timeout = new CancellationTokenSource(UpstreamClient.ConnectTimeout);
                // No ALPN: the server's proxy detects what the bytes are, as for a plaintext caller.
                stream = await _tls.ConnectAsync(stream, endpoint.Address, identity, null, timeout.Token);
            }
            catch (Exception ex) when (ex is AuthenticationException or OperationCanceledException)
            {
                // Logged and counted by MeshTls (a refusal), or a handshake that did not finish in time.
                connection.Abort(new ConnectionAbortedException(ex.Message));
                await stream.DisposeAsync();
                return;
            }
        }

        await OpaqueRelay.RelayAsync(connection, stream, socket, connection.Features.Get<TcpSeries>());
    }

    /// <summary>A connection counted in <paramref name="series"/>; null when it failed (then told to <paramref name="failed"/>, by error).</summary>
    private async Task<(Socket Socket, Stream Stream)?> ConnectAsync(EndPoint to, IPAddress? localAddress, TcpSeries series, Action<string> failed)
    {
        try
        {
            using var timeout = new CancellationTokenSource(UpstreamClient.ConnectTimeout);
            var socket = await UpstreamClient.ConnectAsync(to, localAddress, timeout.Token);
            return (socket, new CountingStream(new NetworkStream(socket, ownsSocket: true), series));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            var error = ProxyErrors.Label(ex is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? ProxyError.ConnectionRefused
                : ex is OperationCanceledException ? ProxyError.Timeout : ProxyError.Upstream);
            failed(error);
            LogOpaqueConnectFailed(to.ToString() ?? "", ex.Message);
            return null;
        }
    }

    private static EndPoint AppEndPoint(string appAddress) =>
        Authority.TryParse(appAddress, out var app) && IPAddress.TryParse(app.Host, out var ip) ? new IPEndPoint(ip, app.Port) : new DnsEndPoint(app.Host, app.Port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Opaque TCP connection to {Target} failed: {Reason}")]
    private partial void LogOpaqueConnectFailed(string target, string reason);
}
