using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Dashboard.Contracts.Metrics;
using Dashboard.Proxy.Hosting;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Proxy;

/// <summary>A subscriber that stops reading costs dropped events, never a slower or failed request.</summary>
public sealed class TapBackpressureTests
{
    [Fact]
    public async Task A_stalled_subscriber_drops_and_counts_events_while_traffic_flows()
    {
        await using var app = await Upstream.StartAsync(c => c.Response.WriteAsync("ok"));
        await using var proxy = await TestProxy.StartAsync(app.Address, new Dictionary<string, string> { ["MESH_PROXY_TAP_BUFFER"] = "64" });
        using var stalled = await OpenStalledSubscriberAsync(proxy.Host.BoundEndPoint(proxy.Instance, ListenerKind.Tap));
        await proxy.Instance.Tap.WaitForSubscribersAsync(1, TestTimeouts.Token).Within();

        // Each request's events carry a large header, so the stalled socket's buffers fill after a few hundred.
        var padding = new string('p', 8 * 1024);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 1500; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/item/{i}");
            request.Headers.Add("X-Padding", padding);
            using var response = await proxy.Inbound.SendAsync(request, TestTimeouts.Token).Within();
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1500, metrics.Sum(MetricNames.ResponseTotal, (LabelNames.StatusCode, "200")));
        Assert.True(metrics.Sum(MetricNames.TapDroppedEventsTotal) > 0, "events beyond the stalled subscriber's buffer were dropped and counted");
    }

    /// <summary>
    /// A SignalR client over a raw socket with a tiny receive buffer: it opens a watch, then never reads.
    /// The real SignalR client always drains its socket, so it cannot stall on purpose.
    /// </summary>
    private static async Task<WebSocket> OpenStalledSubscriberAsync(IPEndPoint tap)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(tap, TestTimeouts.Token).Within();
        var stream = new NetworkStream(socket, ownsSocket: true);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var upgrade = $"GET /tap HTTP/1.1\r\nHost: {tap}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {TestProxy.TapToken}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(upgrade), TestTimeouts.Token).Within();
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one, TestTimeouts.Token).Within());
            head.Append((char)one[0]);
        }

        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        var socketClient = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        foreach (var message in new[]
        {
            """{"protocol":"json","version":1}""",
            """{"type":4,"invocationId":"1","target":"Watch","arguments":[{"maxRps":100000,"extractHeaders":true}]}""",
        })
        {
            await socketClient.SendAsync(Encoding.UTF8.GetBytes(message + "\u001e"), WebSocketMessageType.Text, true, TestTimeouts.Token).Within();
        }

        return socketClient;
    }
}
