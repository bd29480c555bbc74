using System.Net;
using System.Net.WebSockets;
using System.Text;
using Dashboard.Contracts.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Dashboard.Tests.Proxy;

/// <summary>HTTP/2 and gRPC, streaming bodies, keep-alive and WebSocket upgrades through the proxy.</summary>
public sealed class ProxyProtocolTests
{
    private static HttpClient Http2Client(Uri baseUri) => new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = baseUri,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TestTimeouts.Default,
    };

    /// <summary>A gRPC-shaped server: one length-prefixed message and a grpc-status trailer (or a trailers-only answer).</summary>
    private static async Task GrpcApp(HttpContext context)
    {
        var status = context.Request.Path.Value!.Trim('/');
        context.Response.ContentType = "application/grpc";
        if (context.Request.Query.ContainsKey("trailers-only"))
        {
            context.Response.Headers["grpc-status"] = status;
            return;
        }

        await context.Response.Body.WriteAsync(new byte[] { 0, 0, 0, 0, 2, 0x08, 0x01 }, context.RequestAborted);
        context.Response.AppendTrailer("grpc-status", status);
    }

    [Fact]
    public async Task Grpc_over_h2c_is_proxied_and_classified_by_grpc_status()
    {
        await using var app = await Upstream.StartAsync(GrpcApp, HttpProtocols.Http2);
        await using var proxy = await TestProxy.StartAsync(app.Address);
        using var client = Http2Client(proxy.BaseUri(Dashboard.Proxy.Hosting.ListenerKind.Inbound));

        foreach (var (path, expectTrailer) in new[] { ("/0", true), ("/0", true), ("/14", true), ("/2?trailers-only=1", false), ("/5", true) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new ByteArrayContent([0, 0, 0, 0, 0]),
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Content.Headers.ContentType = new("application/grpc");
            using var response = await client.SendAsync(request, TestTimeouts.Token).Within();
            await response.Content.ReadAsByteArrayAsync(TestTimeouts.Token).Within();
            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (expectTrailer)
            {
                Assert.Equal(path.Trim('/'), response.TrailingHeaders.GetValues("grpc-status").Single());
            }
        }

        var metrics = await proxy.ScrapeSettledAsync();
        var total = (string grpc, string classification) => metrics.Sum(MetricNames.ResponseTotal,
            (LabelNames.GrpcStatus, grpc), (LabelNames.Classification, classification), (LabelNames.StatusCode, "200"));
        Assert.True(total("0", "success") == 2, metrics.Text);
        var text = string.Join("\n", metrics.Text.Split('\n').Where(l => l.StartsWith("response_total", StringComparison.Ordinal)));
        Assert.True(total("14", "failure") == 1, text);
        Assert.True(total("2", "failure") == 1, text);
        Assert.True(total("5", "success") == 1, text);
    }

    [Fact]
    public async Task Bodies_stream_both_ways_without_being_buffered_whole()
    {
        var firstRequestChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sendRest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await Upstream.StartAsync(async context =>
        {
            if (context.Request.Method == "POST")
            {
                var buffer = new byte[5];
                await context.Request.Body.ReadExactlyAsync(buffer, context.RequestAborted);
                firstRequestChunk.SetResult();
                var rest = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
                await context.Response.WriteAsync(Encoding.ASCII.GetString(buffer) + rest);
                return;
            }

            await context.Response.WriteAsync("first;");
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await sendRest.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("second");
        });
        await using var proxy = await TestProxy.StartAsync(app.Address);

        // Response: the first chunk arrives while the upstream still holds the second.
        using var response = await proxy.Inbound.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token).Within();
        await using var body = await response.Content.ReadAsStreamAsync(TestTimeouts.Token).Within();
        var first = new byte[6];
        await body.ReadExactlyAsync(first, TestTimeouts.Token).Within();
        Assert.Equal("first;", Encoding.ASCII.GetString(first));
        sendRest.SetResult();
        Assert.Equal("second", await new StreamReader(body).ReadToEndAsync(TestTimeouts.Token).Within());

        // Request: the upstream reads the first chunk before the client has written the second.
        var content = new GatedContent(firstRequestChunk.Task);
        using var posted = await proxy.Inbound.PostAsync("/upload", content, TestTimeouts.Token).Within();
        Assert.Equal("hello world", await posted.Content.ReadAsStringAsync(TestTimeouts.Token).Within());

        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.TcpOpenTotal, (LabelNames.Direction, "inbound"), (LabelNames.Peer, "src")));
    }

    [Fact]
    public async Task WebSocket_upgrades_pass_through()
    {
        await using var app = await Upstream.StartAsync(async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64];
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, true, context.RequestAborted);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
        });
        await using var proxy = await TestProxy.StartAsync(app.Address);
        using var client = new ClientWebSocket();

        var uri = new UriBuilder(proxy.BaseUri(Dashboard.Proxy.Hosting.ListenerKind.Inbound)) { Scheme = "ws", Path = "/ws" }.Uri;
        await client.ConnectAsync(uri, TestTimeouts.Token).Within();
        await client.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, true, TestTimeouts.Token).Within();
        var buffer = new byte[64];
        var result = await client.ReceiveAsync(buffer, TestTimeouts.Token).Within();
        Assert.Equal("ping", Encoding.ASCII.GetString(buffer, 0, result.Count));
        await client.ReceiveAsync(buffer, TestTimeouts.Token).Within();
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", TestTimeouts.Token).Within();

        // The upgraded exchange is counted when it ends, after both sides closed.
        await TestTimeouts.Eventually(async () => (await proxy.ScrapeAsync()).Sum(MetricNames.ResponseTotal,
            (LabelNames.StatusCode, "101"), (LabelNames.Classification, "success")) == 1, "the websocket's response to be counted");
    }

    /// <summary>Writes "hello", then waits for <paramref name="gate"/> before writing the rest.</summary>
    private sealed class GatedContent(Task gate) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("hello"u8.ToArray());
            await stream.FlushAsync();
            await gate.Within();
            await stream.WriteAsync(" world"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
