using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Dashboard.Proxy.Fleet.KubernetesApi.KubeApiResponses;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// <c>pods/{name}/portforward</c> over a WebSocket, as the kubelet streams it (subprotocol <c>v4.channel.k8s.io</c>):
/// each message is a channel byte then data; channel 0 carries the port's bytes, channel 1 its errors, and the
/// server opens each channel with the port number (two bytes, little-endian). The fleet connects to the pod's own
/// loopback address, so a KubernetesClient port-forward reaches a fleet pod as it would a real one.
/// </summary>
internal static class KubePortForward
{
    public const string Protocol = "v4.channel.k8s.io";
    private const byte DataChannel = 0;
    private const byte ErrorChannel = 1;

    public static Task HandleAsync(HttpContext context, KubeStore store, string @namespace, string name)
    {
        if (store.Get<V1Pod>(@namespace, name) is not { } pod)
        {
            return WriteStatusAsync(context, StatusCodes.Status404NotFound, "NotFound", $"pods \"{name}\" not found");
        }

        var ports = context.Request.Query["ports"].ToString();
        if (!ushort.TryParse(ports, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            return WriteBadRequestAsync(context, $"ports '{ports}': this server forwards exactly one port per connection, e.g. ?ports=8080");
        }

        if (!IPAddress.TryParse(pod.Status?.PodIP, out var address) || pod.Status?.Phase != "Running")
        {
            return WriteBadRequestAsync(context, $"pod {name} is not running (phase {pod.Status?.Phase ?? "unknown"}), so it has no port to forward to");
        }

        // The listener's pipeline has no WebSocket middleware of its own: this one accepts just this upgrade.
        var upgrade = new WebSocketMiddleware(ctx => ForwardAsync(ctx, new IPEndPoint(address, port)), Options.Create(new WebSocketOptions()), NullLoggerFactory.Instance);
        return upgrade.Invoke(context);
    }

    private static async Task ForwardAsync(HttpContext context, IPEndPoint target)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WriteBadRequestAsync(context, $"port forwarding needs a WebSocket upgrade with subprotocol {Protocol}");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(Protocol);
        var aborted = context.RequestAborted;
        var (low, high) = ((byte)(target.Port & 0xff), (byte)(target.Port >> 8));
        await socket.SendAsync(new byte[] { DataChannel, low, high }, WebSocketMessageType.Binary, true, aborted);
        await socket.SendAsync(new byte[] { ErrorChannel, low, high }, WebSocketMessageType.Binary, true, aborted);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(target, aborted);
        }
        catch (SocketException e)
        {
            byte[] error = [ErrorChannel, .. Encoding.UTF8.GetBytes($"error forwarding port {target.Port} to pod: {e.Message}")];
            await socket.SendAsync(error, WebSocketMessageType.Binary, true, aborted);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, aborted);
            return;
        }

        var stream = tcp.GetStream();
        var toPod = FromClientAsync(socket, stream, aborted);
        var fromPod = ToClientAsync(stream, socket, aborted);
        await Task.WhenAny(toPod, fromPod);
        tcp.Close();
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        await Task.WhenAll(toPod, fromPod).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Whole messages from the client; the data channel's payload goes to the pod.</summary>
    private static async Task FromClientAsync(WebSocket socket, NetworkStream pod, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(16 * 1024), cancellationToken);
                buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            if (buffer.WrittenCount > 1 && buffer.WrittenSpan[0] == DataChannel)
            {
                await pod.WriteAsync(buffer.WrittenMemory[1..], cancellationToken);
            }
        }
    }

    private static async Task ToClientAsync(NetworkStream pod, WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024 + 1];
        buffer[0] = DataChannel;
        int read;
        while ((read = await pod.ReadAsync(buffer.AsMemory(1), cancellationToken)) > 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, true, cancellationToken);
        }
    }
}
