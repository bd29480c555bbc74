using System.Net;
using System.Net.Sockets;
using Dashboard.Proxy.MeshIdentity;
using Dashboard.Proxy.Metrics;

namespace Dashboard.Proxy.Forwarding;

/// <summary>
/// The HTTP clients a data plane forwards with: each new connection is counted in its tcp_* series and, toward a
/// destination with an identity, secured with mTLS.
/// </summary>
internal static class UpstreamClient
{
    /// <param name="series">The tcp_* series of the connection a request opens.</param>
    /// <param name="tls">Secures connections to destinations that have an identity; null for plaintext only.</param>
    /// <param name="localAddress">The address connections leave from; null lets the system choose.</param>
    public static HttpMessageInvoker Create(Func<HttpRequestMessage, TcpSeries> series, MeshTls? tls, IPAddress? localAddress) => new(new FlushingHandler(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectTimeout = ConnectTimeout,
        ConnectCallback = async (context, ct) =>
        {
            var socket = await ConnectAsync(context.DnsEndPoint, localAddress, ct).ConfigureAwait(false);
            var request = context.InitialRequestMessage;
            var stream = new CountingStream(new NetworkStream(socket, ownsSocket: true), series(request));
            // The pool keys connections by address, and each address is one pod: one identity, or none.
            return tls is not null && Endpoint(request) is { ServerIdentity: { } serverIdentity } endpoint
                ? await tls.ConnectAsync(stream, endpoint.Address, serverIdentity, request.Version == HttpVersion.Version20 ? MeshTls.Http2 : MeshTls.Http11, ct).ConfigureAwait(false)
                : stream;
        },
    }), disposeHandler: true);

    /// <summary>How long a connection to a destination may take to be accepted.</summary>
    public static TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>A TCP connection to <paramref name="destination"/>, leaving from <paramref name="localAddress"/> when given.</summary>
    public static async Task<Socket> ConnectAsync(EndPoint destination, IPAddress? localAddress, CancellationToken cancellationToken)
    {
        var socket = localAddress is null
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(localAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            await socket.ConnectAsync(destination, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The outbound endpoint the transformer attached to a request; null inbound.</summary>
    public static OutboundEndpoint? Endpoint(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(ProxyTransformerOptions.Endpoint, out var endpoint) ? endpoint : null;
}
