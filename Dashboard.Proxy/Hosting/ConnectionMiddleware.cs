using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Dashboard.Proxy.MeshIdentity;
using Dashboard.Proxy.Metrics;
using Dashboard.Proxy.Tap;
using Dashboard.Proxy.Transparent;
using Microsoft.AspNetCore.Connections;

namespace Dashboard.Proxy.Hosting;

/// <summary>Connection-level middleware of the proxy's listeners.</summary>
internal static class ConnectionMiddleware
{
    private static readonly TimeSpan PrefaceTimeout = TimeSpan.FromSeconds(130);

    /// <summary>The first byte of a TLS record carrying a handshake message (RFC 8446 §5.1): a ClientHello opens with it.</summary>
    private const byte TlsHandshakeRecord = 0x16;

    /// <summary>The 24-byte HTTP/2 client preface (RFC 9113 §3.4).</summary>
    private static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    private enum Protocol
    {
        Http1,
        Http2,
        Tls,
        Silent,
    }

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
    /// Serves cleartext HTTP/1.1, HTTP/2 (prior knowledge, as gRPC clients use) and, on an inbound (or tap) port of a proxy with
    /// an identity, mTLS, all on one port. Kestrel picks HTTP/1.1 for a cleartext endpoint that allows both, so a
    /// connection that opens with the HTTP/2 preface is handed to <paramref name="http2"/>, the HTTP pipeline of an
    /// HTTP/2-only endpoint; one that opens with a TLS ClientHello to <paramref name="tls"/>, a TLS endpoint's
    /// pipeline. Nothing is consumed. Inbound plaintext connections are counted here, once their kind is known.
    /// </summary>
    public static ConnectionDelegate Detect(ConnectionDelegate http1, Func<ConnectionDelegate?> http2, Func<ConnectionDelegate?> tls) => async connection =>
    {
        var protocol = await PeekAsync(connection);
        if (protocol == Protocol.Silent)
        {
            connection.Abort(new ConnectionAbortedException("no request within " + PrefaceTimeout));
            return;
        }

        var binding = connection.Features.Get<ListenerBinding>();
        var inbound = binding is { Kind: ListenerKind.Inbound, Proxy: { } proxy } ? proxy : null;
        var secure = binding is { Kind: ListenerKind.Inbound or ListenerKind.Tap } ? binding.Proxy?.Tls : null;
        if (protocol == Protocol.Tls && secure is { } meshTls && tls() is { } secured)
        {
            await AcceptTlsAsync(connection, meshTls, secured, tap: binding!.Kind == ListenerKind.Tap);
            return;
        }

        var pipeline = protocol == Protocol.Http2 && http2() is { } h2 ? h2 : http1;
        await (inbound is null ? pipeline(connection) : CountAsync(connection, inbound.Metrics.Plaintext.Tcp, pipeline));
    };

    /// <summary>
    /// The last middleware of the TLS pipeline, reached once the handshake succeeded: the connection carries its
    /// verified peer from now on (requests find their series through it) and is counted under its identity.
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
        return CountAsync(connection, peer.Tcp, next);
    };

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

    private static async Task<Protocol> PeekAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        // Kestrel's keep-alive timeout does not run yet: bound the wait for a silent client ourselves.
        using var silent = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        silent.CancelAfter(PrefaceTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(silent.Token);
            }
            catch (OperationCanceledException)
            {
                return Protocol.Silent;
            }

            var buffer = result.Buffer;
            if (buffer.Length > 0 && buffer.FirstSpan[0] == TlsHandshakeRecord)
            {
                input.AdvanceTo(buffer.Start);
                return Protocol.Tls;
            }

            var length = (int)Math.Min(buffer.Length, Http2Preface.Length);
            var prefix = buffer.Slice(0, length).ToArray();
            if (!Http2Preface[..length].SequenceEqual(prefix))
            {
                input.AdvanceTo(buffer.Start);
                return Protocol.Http1;
            }

            if (length == Http2Preface.Length || result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start);
                return length == Http2Preface.Length ? Protocol.Http2 : Protocol.Http1;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
