using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Dashboard.Proxy.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Proxy;

/// <summary>Which first bytes of a connection make it HTTP, the mesh's TLS, or opaque TCP, and when that is decided.</summary>
public sealed class ProtocolDetectorTests
{
    private static DetectedProtocol Decide(string text, bool http = true, bool tls = true, bool completed = false) =>
        Decide(Encoding.Latin1.GetBytes(text), http, tls, completed);

    private static DetectedProtocol Decide(byte[] bytes, bool http = true, bool tls = true, bool completed = false, string? serverName = null) =>
        ProtocolDetector.Decide(new ReadOnlySequence<byte>(bytes), http, tls, completed, serverName);

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: web\r\n\r\n")]
    [InlineData("POST /orders?id=1 HTTP/1.0")]
    [InlineData("OPTIONS * HTTP/1.1")]
    [InlineData("CONNECT web:443 HTTP/1.1")]
    [InlineData("M-SEARCH * HTTP/1.1")]
    public void A_request_line_is_HTTP_1_as_soon_as_its_minor_version_arrives(string text) =>
        Assert.Equal(DetectedProtocol.Http1, Decide(text));

    [Theory]
    [InlineData("G")]
    [InlineData("GET")]
    [InlineData("GET ")]
    [InlineData("GET /orders")]
    [InlineData("GET /orders HTTP/")]
    [InlineData("GET /orders HTTP/1.")]
    [InlineData("PRI * HTTP/2.0\r\n")]
    public void A_prefix_of_a_request_line_or_of_the_HTTP_2_preface_waits_for_more(string text) =>
        Assert.Equal(DetectedProtocol.Undecided, Decide(text));

    [Theory]
    [InlineData("hello, echo\n")]
    [InlineData("EHLO client.example\r\n")]
    [InlineData("GET /orders HTTP/2.0\r\n")]
    [InlineData("GET  / HTTP/1.1")]
    [InlineData(" GET / HTTP/1.1")]
    [InlineData("GET / HTTPS/1.1")]
    [InlineData("GET / HTTP/1.x")]
    [InlineData("{\"json\": true}")]
    [InlineData("\r\nGET / HTTP/1.1")]
    public void Bytes_that_break_the_request_line_are_opaque_at_the_first_that_does(string text) =>
        Assert.Equal(DetectedProtocol.Opaque, Decide(text));

    [Fact]
    public void The_HTTP_2_preface_is_HTTP_2_once_complete()
    {
        Assert.Equal(DetectedProtocol.Http2, Decide("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        Assert.Equal(DetectedProtocol.Opaque, Decide("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n"));
    }

    [Fact]
    public void A_ClientHello_is_TLS_only_where_the_mesh_TLS_is_looked_for()
    {
        // A TLS 1.2 record header (as TLS 1.3 writes it), a length, and handshake type 1 (ClientHello).
        byte[] hello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc];

        Assert.Equal(DetectedProtocol.Tls, Decide(hello));
        Assert.Equal(DetectedProtocol.Undecided, Decide(hello[..5]));
        Assert.Equal(DetectedProtocol.Opaque, Decide(hello, tls: false));
        Assert.Equal(DetectedProtocol.Tls, Decide(hello, http: false));
        // A handshake record that is not a ClientHello (a ServerHello, 2), and an alert record (0x15).
        Assert.Equal(DetectedProtocol.Opaque, Decide([0x16, 0x03, 0x03, 0x00, 0x10, 0x02]));
        Assert.Equal(DetectedProtocol.Opaque, Decide([0x15, 0x03, 0x03]));
    }

    [Fact]
    public async Task A_ClientHello_is_the_mesh_TLS_only_when_it_asks_for_the_proxy_s_own_identity()
    {
        const string own = "web.default.serviceaccount.identity.cluster.local";
        var mesh = await RealClientHelloAsync(own);
        var app = await RealClientHelloAsync("shop.example.com");
        var none = await RealClientHelloAsync("198.18.0.7");

        Assert.Equal(DetectedProtocol.Tls, Decide(mesh, serverName: own));
        Assert.Equal(DetectedProtocol.Tls, Decide(mesh, serverName: own.ToUpperInvariant()));
        // The application's own TLS (another name, or an address, which TLS clients send no SNI for) passes through as bytes.
        Assert.Equal(DetectedProtocol.Opaque, Decide(app, serverName: own));
        Assert.Equal(DetectedProtocol.Opaque, Decide(none, serverName: own));
        // Without a name to match (the tap port), any ClientHello is TLS.
        Assert.Equal(DetectedProtocol.Tls, Decide(app));
        // The name can only be read from the whole record: a part of it waits.
        Assert.Equal(DetectedProtocol.Undecided, Decide(mesh[..(mesh.Length - 1)], serverName: own));
        Assert.Equal(DetectedProtocol.Opaque, Decide(mesh[..(mesh.Length - 1)], serverName: own, completed: true));
    }

    /// <summary>The first TLS record a real <see cref="SslStream"/> client sends for <paramref name="targetHost"/>.</summary>
    private static async Task<byte[]> RealClientHelloAsync(string targetHost)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, TestTimeouts.Token).Within();
        using var accepted = await listener.AcceptTcpClientAsync(TestTimeouts.Token).Within();
        var tls = new SslStream(client.GetStream());
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = targetHost }, TestTimeouts.Token);
        var stream = accepted.GetStream();
        var header = new byte[5];
        await stream.ReadExactlyAsync(header, TestTimeouts.Token).Within();
        var record = new byte[5 + ((header[3] << 8) | header[4])];
        header.CopyTo(record, 0);
        await stream.ReadExactlyAsync(record.AsMemory(5), TestTimeouts.Token).Within();
        accepted.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake).Within();
        await tls.DisposeAsync();
        return record;
    }

    [Fact]
    public void On_an_opaque_port_a_request_line_is_opaque()
    {
        Assert.Equal(DetectedProtocol.Opaque, Decide("GET / HTTP/1.1\r\n", http: false));
    }

    [Fact]
    public void What_is_undecided_when_the_client_stops_sending_or_past_the_longest_request_line_is_opaque()
    {
        Assert.Equal(DetectedProtocol.Opaque, Decide("GET /orders", completed: true));
        Assert.Equal(DetectedProtocol.Opaque, Decide("", completed: true));
        Assert.Equal(DetectedProtocol.Opaque, Decide("GET /" + new string('a', ProtocolDetector.MaxPeek)));
    }

    [Fact]
    public async Task Bytes_that_arrive_in_pieces_are_decided_when_they_suffice_and_none_is_consumed()
    {
        var pipe = new Pipe();
        var detecting = ProtocolPeek.DetectAsync(pipe.Reader, http: true, tls: false, TimeSpan.FromSeconds(10), new FakeTimeProvider(), CancellationToken.None);
        await pipe.Writer.WriteAsync("GET /ord"u8.ToArray(), TestTimeouts.Token);
        await pipe.Writer.WriteAsync("ers HTTP/1.1\r\n"u8.ToArray(), TestTimeouts.Token);

        Assert.Equal(DetectedProtocol.Http1, await detecting.Within());
        Assert.Equal("GET /orders HTTP/1.1\r\n", await ReadAllWrittenAsync(pipe));
    }

    [Fact]
    public async Task A_client_silent_for_the_detect_timeout_is_opaque_and_keeps_what_it_sent()
    {
        var time = new FakeTimeProvider();
        var pipe = new Pipe();
        var detecting = ProtocolPeek.DetectAsync(pipe.Reader, http: true, tls: true, TimeSpan.FromSeconds(10), time, CancellationToken.None);
        await pipe.Writer.WriteAsync("GET /or"u8.ToArray(), TestTimeouts.Token);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(detecting.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(DetectedProtocol.Opaque, await detecting.Within());
        Assert.Equal("GET /or", await ReadAllWrittenAsync(pipe));
    }

    [Fact]
    public async Task A_connection_still_undecided_when_the_proxy_stops_is_closed_not_forwarded()
    {
        using var stopping = new CancellationTokenSource();
        var pipe = new Pipe();
        var detecting = ProtocolPeek.DetectAsync(pipe.Reader, http: true, tls: false, TimeSpan.FromSeconds(10), new FakeTimeProvider(), stopping.Token);
        await pipe.Writer.WriteAsync("GE"u8.ToArray(), TestTimeouts.Token);
        Assert.False(detecting.IsCompleted);

        await stopping.CancelAsync();

        Assert.Equal(DetectedProtocol.Closed, await detecting.Within());
        Assert.Equal(DetectedProtocol.Closed, await ProtocolPeek.DetectAsync(new Pipe().Reader, http: true, tls: false, TimeSpan.FromSeconds(10), new FakeTimeProvider(), stopping.Token).Within());
    }

    [Fact]
    public async Task Neither_HTTP_nor_TLS_looked_for_is_opaque_without_waiting_for_a_byte()
    {
        var pipe = new Pipe();

        Assert.Equal(DetectedProtocol.Opaque, await ProtocolPeek.DetectAsync(pipe.Reader, http: false, tls: false, TimeSpan.FromSeconds(10), new FakeTimeProvider(), CancellationToken.None).Within());
    }

    /// <summary>Completes the writer and reads what the next reader of the pipe gets.</summary>
    private static async Task<string> ReadAllWrittenAsync(Pipe pipe)
    {
        await pipe.Writer.CompleteAsync();
        var text = new StringBuilder();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync(TestTimeouts.Token).Within();
            text.Append(Encoding.Latin1.GetString(result.Buffer));
            pipe.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return text.ToString();
            }
        }
    }
}
