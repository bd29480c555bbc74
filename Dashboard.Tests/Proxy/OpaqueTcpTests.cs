using System.Net;
using System.Net.Sockets;
using System.Text;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Hosting;
using Dashboard.Tests.Netns;

namespace Dashboard.Tests.Proxy;

/// <summary>Connections that are not HTTP, through a proxy on loopback in the explicit mode (no redirect).</summary>
public sealed class OpaqueTcpTests
{
    [Fact]
    public async Task A_client_that_connects_to_the_outbound_port_and_sends_nothing_is_closed_after_the_detect_timeout()
    {
        await using var proxy = await TestProxy.StartAsync("127.0.0.1:9", new Dictionary<string, string> { [ProxyEnvironment.DetectTimeout] = "1s" });
        using var client = new TcpClient();
        await client.ConnectAsync(proxy.Host.BoundEndPoint(proxy.Instance, ListenerKind.Outbound), TestTimeouts.Token).Within();

        // Within the test's timeout, well short of the 130 s Kestrel gives a silent HTTP connection: the proxy closed it
        // (aborted: with nowhere to send the connection, a reset is as good as a close).
        var read = await ClosedAsync(client.GetStream()).Within();

        Assert.Equal(0, read);
    }

    private static async Task<int> ClosedAsync(NetworkStream stream)
    {
        try
        {
            return await stream.ReadAsync(new byte[16], TestTimeouts.Token);
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return 0;
        }
    }

    [Fact]
    public async Task Bytes_that_are_not_HTTP_reach_the_app_at_MESH_PROXY_APP_ADDR_unchanged_and_are_counted()
    {
        await using var app = NetnsTcpApp.Echo(null, 0);
        await using var proxy = await TestProxy.StartAsync(app.EndPoint.ToString());
        var sent = Encoding.ASCII.GetBytes("hello, echo\n" + new string('x', 50_000));

        var received = await EchoAsync(proxy.Host.BoundEndPoint(proxy.Instance, ListenerKind.Inbound), sent);

        Assert.Equal(sent, received);
        await TestTimeouts.Eventually(async () =>
        {
            var metrics = await proxy.ScrapeAsync();
            return metrics.Sum(MetricNames.TcpWriteBytesTotal, (LabelNames.Direction, "inbound"), (LabelNames.Peer, "dst"), (LabelNames.TargetAddr, app.EndPoint.ToString())) == sent.Length &&
                metrics.Sum(MetricNames.TcpReadBytesTotal, (LabelNames.Direction, "inbound"), (LabelNames.Peer, "src"), (LabelNames.Tls, LabelNames.Values.TlsDisabled)) == sent.Length &&
                metrics.Sum(MetricNames.TcpWriteBytesTotal, (LabelNames.Direction, "inbound"), (LabelNames.Peer, "src")) == sent.Length &&
                metrics.Sum(MetricNames.TcpCloseTotal, (LabelNames.Direction, "inbound"), (LabelNames.Peer, "src")) == 1;
        }, "the opaque connection's bytes in the inbound tcp_* series, both sides");
    }

    [Fact]
    public async Task A_connection_the_app_refuses_is_closed_and_counted_as_an_inbound_tcp_error()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var proxy = await TestProxy.StartAsync($"127.0.0.1:{closedPort}");
        using var client = new TcpClient();
        await client.ConnectAsync(proxy.Host.BoundEndPoint(proxy.Instance, ListenerKind.Inbound), TestTimeouts.Token).Within();
        await client.GetStream().WriteAsync("hello\n"u8.ToArray(), TestTimeouts.Token).Within();

        Assert.Equal(0, await ClosedAsync(client.GetStream()).Within());
        Assert.Equal(1, (await proxy.ScrapeAsync()).Sum(MetricNames.InboundTcpErrorsTotal, (LabelNames.Error, "connection_refused")));
    }

    [Fact]
    public async Task An_opaque_port_skips_detection_so_a_server_that_speaks_first_answers_at_once()
    {
        await using var app = NetnsTcpApp.SpeaksFirst(null, 0, "smtp");
        // An hour of detection would outlast the test: the banner arrives only because the port skips it.
        await using var proxy = await TestProxy.StartAsync(app.EndPoint.ToString(), new Dictionary<string, string>
        {
            [ProxyEnvironment.DetectTimeout] = "1h",
            [ProxyEnvironment.InboundOpaquePorts] = app.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var client = new TcpClient();
        await client.ConnectAsync(proxy.Host.BoundEndPoint(proxy.Instance, ListenerKind.Inbound), TestTimeouts.Token).Within();
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);

        Assert.Equal(NetnsTcpApp.Banner("smtp").TrimEnd('\n'), await reader.ReadLineAsync(TestTimeouts.Token).Within());
    }

    private static async Task<byte[]> EchoAsync(IPEndPoint to, byte[] sent)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(to, TestTimeouts.Token).Within();
        var stream = client.GetStream();
        await stream.WriteAsync(sent, TestTimeouts.Token).Within();
        client.Client.Shutdown(SocketShutdown.Send);
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, TestTimeouts.Token).Within();
        return all.ToArray();
    }
}
