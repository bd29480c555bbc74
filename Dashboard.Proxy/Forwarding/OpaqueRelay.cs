using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using Dashboard.Proxy.Metrics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Dashboard.Proxy.Forwarding;

/// <summary>
/// Opaque TCP: copies the bytes of an accepted connection to an upstream connection and back until both directions have
/// ended. A half-close is passed on (a client that sends its request and shuts down its side still gets the answer), and
/// the bytes protocol detection looked at are the first ones sent, since detection consumed nothing.
/// </summary>
internal static class OpaqueRelay
{
    private const int ChunkSize = 16 * 1024;

    /// <param name="upstream">The connection the proxy opened, counted in its tcp_* series; disposed at the end.</param>
    /// <param name="upstreamSocket">Its socket, which a half-close of plaintext shuts down for sending.</param>
    /// <param name="clientSeries">The tcp_* series the accepted connection is counted in, for the bytes written to it here.</param>
    public static async Task RelayAsync(ConnectionContext connection, Stream upstream, Socket upstreamSocket, TcpSeries? clientSeries)
    {
        await using var _ = upstream;
        var client = ClientSide.Of(connection, clientSeries);
        var toUpstream = ToUpstreamAsync(connection, upstream, upstreamSocket);
        var toClient = ToClientAsync(connection, upstream, client);
        await Task.WhenAll(toUpstream, toClient);
    }

    private static async Task ToUpstreamAsync(ConnectionContext connection, Stream upstream, Socket upstreamSocket)
    {
        var input = connection.Transport.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    await upstream.WriteAsync(segment);
                }

                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            await ShutdownSendAsync(upstream, upstreamSocket);
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            Abort(connection, upstream);
        }
    }

    private static async Task ToClientAsync(ConnectionContext connection, Stream upstream, ClientSide client)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = await upstream.ReadAsync(buffer)) > 0)
            {
                await client.WriteAsync(buffer.AsMemory(0, read));
            }

            await client.ShutdownSendAsync();
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            Abort(connection, upstream);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A reset (or an abort by the other direction) ends both directions at once.</summary>
    private static void Abort(ConnectionContext connection, Stream upstream)
    {
        connection.Abort(new ConnectionAbortedException("opaque TCP: the other side of the connection went away"));
        upstream.Dispose();
    }

    private static async ValueTask ShutdownSendAsync(Stream? stream, Socket? socket)
    {
        if (stream is SslStream ssl)
        {
            // close_notify: the peer reads the end of the stream, and may go on sending (TLS 1.3 allows a half-close).
            await ssl.ShutdownAsync();
        }
        else
        {
            socket?.Shutdown(SocketShutdown.Send);
        }
    }

    private static bool IsDisconnect(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException or ConnectionAbortedException or OperationCanceledException;

    /// <summary>
    /// The accepted connection's sending side. Written directly (its socket, or its TLS stream), not through Kestrel's
    /// output pipe: a pipe's flush returns before its bytes reach the socket, so a half-close after it could cut them
    /// off, and completing the pipe would close both directions. Nothing else writes to an opaque connection.
    /// </summary>
    private sealed class ClientSide(SslStream? ssl, Socket? socket, PipeWriter output, TcpSeries? series)
    {
        public static ClientSide Of(ConnectionContext connection, TcpSeries? series)
        {
            if (connection.Features.Get<ISslStreamFeature>()?.SslStream is { } tls)
            {
                return new ClientSide(tls, null, connection.Transport.Output, series);
            }

            // The socket itself, not a NetworkStream over it: Kestrel's accepted sockets may not say they are connected.
            return connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } accepted
                ? new ClientSide(null, accepted, connection.Transport.Output, series)
                : new ClientSide(null, null, connection.Transport.Output, null); // counted by the pipe; no half-close
        }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
        {
            if (ssl is not null)
            {
                await ssl.WriteAsync(bytes);
            }
            else if (socket is not null)
            {
                for (var rest = bytes; !rest.IsEmpty;)
                {
                    rest = rest[await socket.SendAsync(rest, SocketFlags.None)..];
                }
            }
            else
            {
                await output.WriteAsync(bytes);
                return;
            }

            series?.Write.Inc(bytes.Length);
        }

        public ValueTask ShutdownSendAsync() => OpaqueRelay.ShutdownSendAsync(ssl, socket);
    }
}
