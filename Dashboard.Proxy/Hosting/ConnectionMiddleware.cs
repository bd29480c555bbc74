using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Dashboard.Proxy.Metrics;
using Microsoft.AspNetCore.Connections;

namespace Dashboard.Proxy.Hosting;

/// <summary>Connection-level middleware of the proxy's listeners.</summary>
internal static class ConnectionMiddleware
{
    /// <summary>The 24-byte HTTP/2 client preface (RFC 9113 §3.4).</summary>
    private static readonly TimeSpan PrefaceTimeout = TimeSpan.FromSeconds(130);

    private static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>Tags the connection with its binding and counts it into a tcp_* series.</summary>
    public static ConnectionDelegate Tag(ConnectionDelegate next, ListenerBinding binding, TcpSeries? series) => async connection =>
    {
        connection.Features.Set(binding);
        if (series is null)
        {
            await next(connection);
            return;
        }

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
    };

    /// <summary>
    /// Serves cleartext HTTP/1.1 and HTTP/2 (prior knowledge, as gRPC clients use) on one port. Kestrel picks
    /// HTTP/1.1 for a cleartext endpoint that allows both, so a connection that opens with the HTTP/2 preface is
    /// handed to <paramref name="http2"/>, the HTTP pipeline of an HTTP/2-only endpoint. Nothing is consumed.
    /// </summary>
    public static ConnectionDelegate DetectHttp2(ConnectionDelegate http1, Func<ConnectionDelegate?> http2) => async connection =>
    {
        var input = connection.Transport.Input;
        var isHttp2 = false;
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
                connection.Abort(new ConnectionAbortedException("no request within " + PrefaceTimeout));
                return;
            }

            var buffer = result.Buffer;
            var length = (int)Math.Min(buffer.Length, Http2Preface.Length);
            var prefix = buffer.Slice(0, length).ToArray();
            if (!Http2Preface[..length].SequenceEqual(prefix))
            {
                input.AdvanceTo(buffer.Start);
                break;
            }

            if (length == Http2Preface.Length)
            {
                input.AdvanceTo(buffer.Start);
                isHttp2 = true;
                break;
            }

            if (result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start);
                break;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }

        await (isHttp2 && http2() is { } h2 ? h2(connection) : http1(connection));
    };
}
