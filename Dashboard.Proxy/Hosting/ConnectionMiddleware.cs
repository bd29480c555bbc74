using System.Net.Sockets;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.MeshIdentity;
using Dashboard.Proxy.Metrics;
using Dashboard.Proxy.Tap;
using Dashboard.Proxy.Transparent;
using Microsoft.AspNetCore.Connections;

namespace Dashboard.Proxy.Hosting;

/// <summary>Connection-level middleware of the proxy's listeners.</summary>
internal static class ConnectionMiddleware
{
    /// <summary>Tags the connection with its binding and, when given a series, counts it (outbound: every connection from the app).</summary>
    public static ConnectionDelegate Tag(ConnectionDelegate next, ListenerBinding binding, TcpSeries? series)
    {
        // The tap hub finds its proxy's subscribers on the connection, without knowing of proxy instances.
        var tap = binding.Kind == ListenerKind.Tap ? binding.Proxy?.Tap : null;
        return connection =>
        {
            connection.Features.Set(binding);
            // Requests of a redirected connection go where the app addressed them (Forwarding/DataPlane.cs).
            if (binding.Kind is ListenerKind.Inbound or ListenerKind.Outbound && RedirectedConnection.Detect(connection) is { } redirected)
            {
                connection.Features.Set(redirected);
            }

            if (tap is not null)
            {
                connection.Features.Set(tap);
            }

            return series is null ? next(connection) : CountAsync(connection, series, next);
        };
    }

    /// <summary>Counts a connection into a tcp_* series: opened now, its bytes as Kestrel moves them, closed when it ends.</summary>
    public static async Task CountAsync(ConnectionContext connection, TcpSeries series, ConnectionDelegate next)
    {
        series.Opened();
        connection.Transport = new CountingDuplexPipe(connection.Transport, series);
        // Opaque TCP writes past the pipe (Forwarding/OpaqueRelay.cs) and counts those bytes itself.
        connection.Features.Set(series);
        string? errno = null;
        try
        {
            await next(connection);
        }
        catch (Exception ex) when (ex.InnerException is SocketException socket)
        {
            errno = Errno.Name(socket.SocketErrorCode);
            throw;
        }
        finally
        {
            series.Closed(errno);
        }
    }

    /// <summary>
    /// Serves cleartext HTTP/1.1, HTTP/2 (prior knowledge, as gRPC clients use), on an inbound port of a proxy with an
    /// identity mTLS, and anything else as opaque TCP, all on one port. Kestrel picks HTTP/1.1 for a cleartext endpoint
    /// that allows both, so a connection that opens with the HTTP/2 preface is handed to <paramref name="http2"/>, the
    /// HTTP pipeline of an HTTP/2-only endpoint; one that opens with a TLS ClientHello to <paramref name="tls"/>, a TLS
    /// endpoint's pipeline (where <see cref="Accepted"/> detects again inside). Nothing is consumed by detection. Inbound
    /// plaintext connections are counted here, once their kind is known. The tap port of a proxy with an identity is
    /// detected too: mesh TLS for the dashboard's identity, or plaintext HTTP for the token; never opaque, never counted.
    /// </summary>
    public static ConnectionDelegate Detect(ConnectionDelegate http1, Func<ConnectionDelegate?> http2, Func<ConnectionDelegate?> tls) => async connection =>
    {
        var binding = connection.Features.Get<ListenerBinding>()!;
        var proxy = binding.Proxy!;
        var redirected = connection.Features.Get<RedirectedConnection>();
        if (binding.Kind == ListenerKind.Outbound)
        {
            await DetectOutboundAsync(connection, proxy, redirected, http1, http2);
            return;
        }

        var meshTls = proxy.Tls is not null ? tls() : null;
        if (binding.Kind == ListenerKind.Tap)
        {
            await DetectTapAsync(connection, proxy, meshTls, http1, http2);
            return;
        }

        // The mesh's TLS asks for this proxy's identity; any other ClientHello is the app's own TLS, passed through as bytes.
        var protocol = await ProtocolPeek.DetectAsync(connection.Transport.Input, http: !IsOpaqueInbound(proxy, redirected), tls: meshTls is not null,
            proxy.Options.DetectTimeout, proxy.Time, proxy.Stopping, serverName: proxy.Tls?.Identity.Name);
        if (protocol == DetectedProtocol.Closed)
        {
            return;
        }

        if (protocol == DetectedProtocol.Tls)
        {
            await AcceptTlsAsync(connection, proxy.Tls!, meshTls!, tap: false);
            return;
        }

        var pipeline = protocol switch
        {
            DetectedProtocol.Http1 or DetectedProtocol.Http2 => HttpPipeline(protocol, http1, http2),
            _ => proxy.DataPlane!.OpaqueInboundAsync,
        };
        await CountAsync(connection, proxy.Metrics.Plaintext.Tcp, pipeline);
    };

    /// <summary>
    /// The last middleware of the TLS pipeline, reached once the handshake succeeded: the connection carries its
    /// verified peer from now on (requests find their series through it) and is counted under its identity. What the
    /// TLS carries is detected again: HTTP goes on to <paramref name="next"/>, anything else (or an opaque port) is opaque.
    /// </summary>
    public static ConnectionDelegate Accepted(ConnectionDelegate next) => connection =>
    {
        // A tap subscriber is judged per request (Tap/TapAuthentication.cs) and is no traffic of the pod's: not counted.
        if (connection.Features.Get<InboundHandshake>() is { IsTap: true } tap)
        {
            tap.Completed = true;
            return next(connection);
        }

        if (connection.Features.Get<InboundHandshake>() is not { Peer: { } peer } handshake)
        {
            connection.Abort(new ConnectionAbortedException("TLS connection without a verified peer"));
            return Task.CompletedTask;
        }

        handshake.Completed = true;
        connection.Features.Set(peer);
        return CountAsync(connection, peer.Tcp, async secured =>
        {
            var proxy = secured.Features.Get<ListenerBinding>()!.Proxy!;
            var protocol = await ProtocolPeek.DetectAsync(secured.Transport.Input, http: !IsOpaqueInbound(proxy, secured.Features.Get<RedirectedConnection>()),
                tls: false, proxy.Options.DetectTimeout, proxy.Time, proxy.Stopping);
            await (protocol switch
            {
                DetectedProtocol.Http1 or DetectedProtocol.Http2 => next(secured),
                DetectedProtocol.Closed => Task.CompletedTask,
                _ => proxy.DataPlane!.OpaqueInboundAsync(secured),
            });
        });
    };

    /// <summary>
    /// The tap port: a ClientHello goes to the TLS pipeline (the subscriber's identity is judged per request by
    /// Tap/TapAuthentication.cs), HTTP to the HTTP pipeline (the token mode); anything else is no subscriber.
    /// </summary>
    private static async Task DetectTapAsync(ConnectionContext connection, ProxyInstance proxy, ConnectionDelegate? meshTls,
        ConnectionDelegate http1, Func<ConnectionDelegate?> http2)
    {
        var protocol = await ProtocolPeek.DetectAsync(connection.Transport.Input, http: true, tls: meshTls is not null, proxy.Options.DetectTimeout, proxy.Time,
            proxy.Stopping);
        switch (protocol)
        {
            case DetectedProtocol.Closed:
                break;
            case DetectedProtocol.Tls:
                await AcceptTlsAsync(connection, proxy.Tls!, meshTls!, tap: true);
                break;
            case DetectedProtocol.Http1 or DetectedProtocol.Http2:
                await HttpPipeline(protocol, http1, http2)(connection);
                break;
            default:
                connection.Abort(new ConnectionAbortedException("the tap port serves SignalR over HTTP or mesh TLS, and this connection sent neither"));
                break;
        }
    }

    /// <summary>
    /// From the app: HTTP goes to the HTTP pipeline; a redirected connection whose bytes are not HTTP, or that was made to
    /// an opaque port of its destination, is opaque TCP. A connection made to the outbound port itself (the explicit mode)
    /// names its destination only in HTTP: without HTTP it has nowhere to go, and is closed.
    /// </summary>
    private static async Task DetectOutboundAsync(ConnectionContext connection, ProxyInstance proxy, RedirectedConnection? redirected,
        ConnectionDelegate http1, Func<ConnectionDelegate?> http2)
    {
        ResolvedService? service;
        try
        {
            service = redirected is null ? null : await proxy.Resolver.ResolveAsync(redirected.OriginalDestination, connection.ConnectionClosed);
        }
        catch (OperationCanceledException) when (connection.ConnectionClosed.IsCancellationRequested)
        {
            // The app closed the connection while its destination was being looked up: nothing to forward.
            return;
        }

        var protocol = await ProtocolPeek.DetectAsync(connection.Transport.Input, http: service?.Opaque != true, tls: false,
            proxy.Options.DetectTimeout, proxy.Time, proxy.Stopping);
        if (protocol == DetectedProtocol.Closed)
        {
            return;
        }

        if (protocol is DetectedProtocol.Http1 or DetectedProtocol.Http2)
        {
            await HttpPipeline(protocol, http1, http2)(connection);
        }
        else if (redirected is not null)
        {
            await proxy.DataPlane!.OpaqueOutboundAsync(connection, redirected, service);
        }
        else
        {
            connection.Abort(new ConnectionAbortedException(
                $"no HTTP request (not HTTP, or nothing within {proxy.Options.DetectTimeout}): a connection made to the outbound port names its destination in HTTP"));
        }
    }

    /// <summary>The HTTP pipeline of a detected protocol: HTTP/2's own when the host has one, else HTTP/1.1's.</summary>
    private static ConnectionDelegate HttpPipeline(DetectedProtocol protocol, ConnectionDelegate http1, Func<ConnectionDelegate?> http2) =>
        protocol == DetectedProtocol.Http2 && http2() is { } h2 ? h2 : http1;

    /// <summary>Whether the app's port this inbound connection goes to is opaque (<c>MESH_PROXY_INBOUND_OPAQUE_PORTS</c>).</summary>
    private static bool IsOpaqueInbound(ProxyInstance proxy, RedirectedConnection? redirected) =>
        proxy.Options.InboundOpaquePorts.Count > 0 &&
        PortRange.AnyContains(proxy.Options.InboundOpaquePorts, redirected?.OriginalDestination.Port ?? proxy.AppPort);

    private static async Task AcceptTlsAsync(ConnectionContext connection, MeshTls meshTls, ConnectionDelegate secured, bool tap)
    {
        var handshake = new InboundHandshake { IsTap = tap };
        connection.Features.Set(handshake);
        await secured(connection);
        // Kestrel's TLS middleware swallows a failed handshake (logging it at Debug): refusals we judged were logged
        // and counted then; anything else (no TLS 1.3, a reset mid-handshake) is counted here.
        if (!handshake.Completed && handshake.RefusedWith is null)
        {
            meshTls.HandshakeFailed(connection.RemoteEndPoint);
        }
    }
}
