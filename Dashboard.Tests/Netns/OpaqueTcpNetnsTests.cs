using System.Net;
using System.Net.Sockets;
using System.Text;
using Dashboard.Contracts.Metrics;
using Dashboard.Tests.Infrastructure;

namespace Dashboard.Tests.Netns;

/// <summary>
/// TCP that is not HTTP, between two meshed pods of a <see cref="NetnsMesh"/>: an echo service (the client speaks first)
/// and a server that speaks first, each on a port the proxies detect and on a port opaque by annotation, pass both
/// proxies with mTLS and are counted in the tcp_* series of both.
/// </summary>
[Collection(NetnsCollection.Name)]
public sealed class OpaqueTcpNetnsTests(NetnsMesh mesh) : IClassFixture<NetnsMesh>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_TCP_echo_service_works_through_both_proxies_over_mtls(bool opaque)
    {
        var service = opaque ? mesh.OpaqueEchoService : mesh.EchoService;
        // On the detected port, not a request line: detection gives up at the first byte that breaks one. On the opaque port
        // a request line, which neither proxy may take for HTTP: it comes back only if both forwarded it as bytes.
        var first = opaque ? $"GET /{Guid.NewGuid():N} HTTP/1.1\r\nHost: {service.Host}\r\n\r\n" : $"hello, {service.Name}: {Guid.NewGuid():N}\n";
        var sent = Encoding.ASCII.GetBytes(first + new string('x', 20_000));
        var before = await CountsAsync();

        var received = await EchoAsync(mesh.Client, service.EndPoint, sent);

        Assert.Equal(sent, received);
        await AssertCountedAsync(before, service, sent.Length, received.Length);
    }

    [Fact]
    public async Task A_pod_address_at_a_port_the_pods_annotation_makes_opaque_is_forwarded_as_bytes_over_mtls()
    {
        // A request line: it comes back only if neither proxy took it for HTTP.
        var sent = Encoding.ASCII.GetBytes($"GET /{Guid.NewGuid():N} HTTP/1.1\r\nHost: web\r\n\r\n");
        var to = mesh.Web.EndPoint(NetnsMesh.OpaqueEchoPort);
        var before = await CountsAsync();

        Assert.Equal(sent, await EchoAsync(mesh.Client, to, sent));

        await NetnsMesh.Eventually(mesh.Client, metrics => Delta(before.Client, metrics, MetricNames.TcpOpenTotal, LabelNames.Values.Outbound,
            LabelNames.Values.PeerDestination, (LabelNames.TargetAddr, to.ToString()), (LabelNames.DstPod, mesh.Web.Name), (LabelNames.DstService, ""),
            (LabelNames.Tls, LabelNames.Values.TlsTrue), (LabelNames.ServerId, NetnsMesh.Identity(mesh.Web))) == 1,
            "the client's outbound connection to web's pod address over mTLS");
    }

    [Fact]
    public async Task A_pod_without_a_proxy_reaches_a_meshed_echo_service_in_plaintext()
    {
        var sent = Encoding.ASCII.GetBytes($"hello from plain: {Guid.NewGuid():N}\n");
        var before = await CountsAsync();

        Assert.Equal(sent, await EchoAsync(mesh.Plain, mesh.EchoService.EndPoint, sent));

        var app = $"127.0.0.1:{mesh.EchoService.Port}";
        await NetnsMesh.Eventually(mesh.Web, metrics =>
            Delta(before.Web, metrics, MetricNames.TcpWriteBytesTotal, LabelNames.Values.Inbound, LabelNames.Values.PeerDestination, (LabelNames.TargetAddr, app)) == sent.Length &&
            Delta(before.Web, metrics, MetricNames.TcpCloseTotal, LabelNames.Values.Inbound, LabelNames.Values.PeerSource,
                (LabelNames.Tls, LabelNames.Values.TlsNoIdentity), (LabelNames.NoTlsReason, LabelNames.Values.NoTlsFromRemote)) >= 1,
            $"web's inbound tcp_* series of its app at {app} ({sent.Length} bytes in) and of a caller without TLS");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_server_that_speaks_first_works_through_both_proxies_over_mtls(bool opaque)
    {
        // On the detected port each proxy waits NetnsMesh.DetectTimeout for a first byte the client never sends first.
        var service = opaque ? mesh.OpaqueBannerService : mesh.BannerService;
        var command = "HELO " + Guid.NewGuid().ToString("N");

        var before = await CountsAsync();

        using var socket = NetnsSocket.Create(mesh.Client.Netns);
        await socket.ConnectAsync(service.EndPoint, TestTimeouts.Token).Within();
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var banner = await reader.ReadLineAsync(TestTimeouts.Token).Within();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"), TestTimeouts.Token).Within();
        var reply = await reader.ReadLineAsync(TestTimeouts.Token).Within();
        socket.Shutdown(SocketShutdown.Send);
        var end = await reader.ReadLineAsync(TestTimeouts.Token).Within();

        Assert.Equal(NetnsTcpApp.Banner(service.Name).TrimEnd('\n'), banner);
        Assert.Equal(NetnsTcpApp.Reply(command).TrimEnd('\n'), reply);
        Assert.Null(end);
        await AssertCountedAsync(before, service, command.Length + 1, NetnsTcpApp.Banner(service.Name).Length + NetnsTcpApp.Reply(command).Length);
    }

    [Fact]
    public async Task HTTP_on_the_same_proxies_is_still_HTTP()
    {
        Assert.Equal("web:8080 GET /still-http", await NetnsMesh.CurlAsync(mesh.Client, $"http://{mesh.WebService.Host}/still-http"));
    }

    /// <summary>
    /// The server's proxy counts, toward its app's port, exactly the bytes the client sent and got; the client's proxy
    /// counts its connection to the server's pod with the Service's dst_ labels and the server's identity (its byte
    /// counts include TLS's own, so at least those); the server's proxy counts the caller under the client's identity.
    /// </summary>
    private async Task AssertCountedAsync((MetricSet Web, MetricSet Client) before, NetnsService service, int sent, int received)
    {
        var app = $"127.0.0.1:{service.Port}";
        await NetnsMesh.Eventually(mesh.Web, metrics =>
            Delta(before.Web, metrics, MetricNames.TcpWriteBytesTotal, LabelNames.Values.Inbound, LabelNames.Values.PeerDestination, (LabelNames.TargetAddr, app)) == sent &&
            Delta(before.Web, metrics, MetricNames.TcpReadBytesTotal, LabelNames.Values.Inbound, LabelNames.Values.PeerDestination, (LabelNames.TargetAddr, app)) == received &&
            Delta(before.Web, metrics, MetricNames.TcpCloseTotal, LabelNames.Values.Inbound, LabelNames.Values.PeerDestination, (LabelNames.TargetAddr, app)) == 1 &&
            Delta(before.Web, metrics, MetricNames.TcpOpenTotal, LabelNames.Values.Inbound, LabelNames.Values.PeerSource,
                (LabelNames.Tls, LabelNames.Values.TlsTrue), (LabelNames.ClientId, NetnsMesh.Identity(mesh.Client))) >= 1,
            $"web's inbound tcp_* series of its app at {app} ({sent} bytes in, {received} out) and of the client's identity");

        (string, string)[] destination =
        [
            (LabelNames.TargetAddr, mesh.Web.EndPoint(service.Port).ToString()), (LabelNames.DstService, service.Name), (LabelNames.DstNamespace, "default"),
            (LabelNames.DstPod, mesh.Web.Name), (LabelNames.Tls, LabelNames.Values.TlsTrue), (LabelNames.ServerId, NetnsMesh.Identity(mesh.Web)),
        ];
        await NetnsMesh.Eventually(mesh.Client, metrics =>
            Delta(before.Client, metrics, MetricNames.TcpOpenTotal, LabelNames.Values.Outbound, LabelNames.Values.PeerDestination, destination) == 1 &&
            Delta(before.Client, metrics, MetricNames.TcpCloseTotal, LabelNames.Values.Outbound, LabelNames.Values.PeerDestination, destination) == 1 &&
            Delta(before.Client, metrics, MetricNames.TcpWriteBytesTotal, LabelNames.Values.Outbound, LabelNames.Values.PeerDestination, destination) >= sent &&
            Delta(before.Client, metrics, MetricNames.TcpReadBytesTotal, LabelNames.Values.Outbound, LabelNames.Values.PeerDestination, destination) >= received,
            $"the client's outbound tcp_* series to {service.Name} over mTLS, with its dst_ labels");
    }

    /// <summary>How much a tcp_* family grew since <paramref name="before"/>: the tests of this class share the mesh's series.</summary>
    private static double Delta(MetricSet before, MetricSet now, string name, string direction, string peer, params (string Label, string Value)[] match)
    {
        (string, string)[] labels = [(LabelNames.Direction, direction), (LabelNames.Peer, peer), .. match];
        return now.Sum(name, labels) - before.Sum(name, labels);
    }

    private async Task<(MetricSet Web, MetricSet Client)> CountsAsync() =>
        (await NetnsMesh.ScrapeAsync(mesh.Web) ?? throw new InvalidOperationException("web's proxy did not answer a scrape"),
            await NetnsMesh.ScrapeAsync(mesh.Client) ?? throw new InvalidOperationException("the client's proxy did not answer a scrape"));

    /// <summary>Sends <paramref name="sent"/> from <paramref name="pod"/> to an echo at <paramref name="to"/>, half-closes, and reads the answer to its end.</summary>
    private static async Task<byte[]> EchoAsync(NetnsPod pod, IPEndPoint to, byte[] sent)
    {
        using var socket = NetnsSocket.Create(pod.Netns);
        await socket.ConnectAsync(to, TestTimeouts.Token).Within();
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(sent, TestTimeouts.Token).Within();
        // Half-closed: the echo ends its answer when it reads the end, through the proxies and back.
        socket.Shutdown(SocketShutdown.Send);
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, TestTimeouts.Token).Within();
        return all.ToArray();
    }
}
