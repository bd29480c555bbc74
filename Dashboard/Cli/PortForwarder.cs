using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using k8s;

namespace Dashboard.Cli;

/// <summary>
/// <c>kubectl port-forward</c> through the Kubernetes API: a local listener whose every connection gets its own
/// WebSocket to the pod's port (subprotocol <c>v4.channel.k8s.io</c>: a channel byte before each message's data;
/// the server opens each channel with the port number, two bytes, which are not data).
/// </summary>
public sealed class PortForwarder : IAsyncDisposable
{
    private const string Protocol = "v4.channel.k8s.io";
    private const byte DataChannel = 0;
    private const byte ErrorChannel = 1;
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly string _pod;
    private readonly int _podPort;
    private readonly TextWriter _errors;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task? _accepting;

    /// <param name="errors">Where a failed connection is reported; the forwarder carries on with the next one.</param>
    public PortForwarder(IKubernetes client, string @namespace, string pod, int podPort, IPEndPoint local, TextWriter errors)
    {
        _client = client;
        _namespace = @namespace;
        _pod = pod;
        _podPort = podPort;
        _errors = errors;
        _listener = new TcpListener(local);
    }

    /// <summary>The bound address (the real port when asked for port 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <exception cref="SocketException">The local port is taken.</exception>
    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var connection = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                connections.RemoveAll(c => c.IsCompleted);
                connections.Add(ForwardAsync(connection, cancellationToken));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAll(connections).ConfigureAwait(false);
        }
    }

    private async Task ForwardAsync(TcpClient connection, CancellationToken cancellationToken)
    {
        using (connection)
        {
            try
            {
                using var socket = await _client.WebSocketNamespacedPodPortForwardAsync(_pod, _namespace, [_podPort], Protocol, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                var local = connection.GetStream();
                using var pumps = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var fromPod = FromPodAsync(socket, local, pumps.Token);
                var toPod = ToPodAsync(local, socket, pumps.Token);
                var first = await Task.WhenAny(fromPod, toPod).ConfigureAwait(false);
                // One side ended: end the other, then report why the first one ended, if it failed.
                await pumps.CancelAsync().ConfigureAwait(false);
                connection.Close();
                await Task.WhenAll(fromPod, toPod).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                if (socket.State == WebSocketState.Open)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                }

                await first.ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or SocketException or HttpRequestException or k8s.Autorest.HttpOperationException
                or OperationCanceledException or ObjectDisposedException)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    await _errors.WriteLineAsync($"error: forwarding a connection to pod {_namespace}/{_pod} port {_podPort}: {Kubernetes.ConnectionTracker.Describe(e)}").ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Whole messages from the API server: data to the local connection, after each channel's two port bytes.</summary>
    private static async Task FromPodAsync(WebSocket socket, NetworkStream local, CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>();
        var portBytesLeft = new Dictionary<byte, int> { [DataChannel] = 2, [ErrorChannel] = 2 };
        while (true)
        {
            message.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(message.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
                message.Advance(result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close || message.WrittenCount == 0)
            {
                return;
            }

            var channel = message.WrittenSpan[0];
            var skip = Math.Min(portBytesLeft.GetValueOrDefault(channel), message.WrittenCount - 1);
            portBytesLeft[channel] = portBytesLeft.GetValueOrDefault(channel) - skip;
            var data = message.WrittenMemory[(1 + skip)..];
            if (data.Length == 0)
            {
                continue;
            }

            if (channel == ErrorChannel)
            {
                throw new IOException(Encoding.UTF8.GetString(data.Span));
            }

            if (channel == DataChannel)
            {
                await local.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ToPodAsync(NetworkStream local, WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024 + 1];
        buffer[0] = DataChannel;
        int read;
        while ((read = await local.ReadAsync(buffer.AsMemory(1), cancellationToken).ConfigureAwait(false)) > 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
        }
    }
}
