using System.Net;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Tap;
using Dashboard.Proxy.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using L = Dashboard.Contracts.Metrics.LabelNames;

namespace Dashboard.Tests.Identity;

/// <summary>Two real proxies with identities: mTLS between them, plaintext around them, and the labels and tap events that say which.</summary>
public sealed class MutualTlsTests
{
    private static readonly string Ml = TestMesh.Id("ml");
    private static readonly string Caller = TestMesh.Id("test-1");

    private static Task Echo(HttpContext context) =>
        context.Response.WriteAsync($"{context.Request.Protocol} {context.Request.Scheme} {context.Request.Headers.Host}");

    [Fact]
    public async Task Meshed_to_meshed_traffic_is_mutual_tls_and_each_side_names_the_other()
    {
        var mesh = new TestMesh();
        await using var app = await Upstream.StartAsync(Echo);
        await using var server = await mesh.StartProxyAsync(app.Address, Ml);
        var serverInbound = server.BaseUri(ListenerKind.Inbound).Authority;
        await using var client = await mesh.StartProxyAsync("127.0.0.1:9", Caller, new StaticResolver(("ml.default", serverInbound, Ml)));
        await using var serverTap = await TapClient.ConnectAsync(server.TapHubUrl, TestProxy.TapToken);
        await using var clientTap = await TapClient.ConnectAsync(client.TapHubUrl, TestProxy.TapToken);
        var inboundEvents = await serverTap.WatchAsync(new TapRequest(), server.Instance.Tap);
        var outboundEvents = await clientTap.WatchAsync(new TapRequest(), client.Instance.Tap);

        using var response = await client.Outbound.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "ml.default" } }, TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The app sees the request as its client sent it: the mesh's TLS is not the app's.
        Assert.Equal("HTTP/1.1 http ml.default", await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within());
        var inbound = await server.ScrapeSettledAsync();
        Assert.Equal(1, inbound.Sum(MetricNames.ResponseTotal, (L.Direction, "inbound"), (L.Tls, "true"), (L.ClientId, Caller), (L.NoTlsReason, "")));
        Assert.Equal(1, inbound.Sum(MetricNames.TcpOpenTotal, (L.Direction, "inbound"), (L.Peer, "src"), (L.Tls, "true"), (L.ClientId, Caller)));
        Assert.Equal(0, inbound.Sum(MetricNames.ResponseTotal, (L.Tls, "no_identity")));
        var outbound = await client.ScrapeSettledAsync();
        Assert.Equal(1, outbound.Sum(MetricNames.ResponseTotal, (L.Direction, "outbound"), (L.Tls, "true"), (L.ServerId, Ml), (L.DstService, "ml")));
        Assert.Equal(1, outbound.Sum(MetricNames.TcpOpenTotal, (L.Direction, "outbound"), (L.Peer, "dst"), (L.Tls, "true"), (L.ServerId, Ml)));
        Assert.Equal(1, outbound.Sum(MetricNames.IdentityCertRefreshCount));
        Assert.True(outbound.Sum(MetricNames.IdentityCertExpirationTimestampSeconds) > DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var serverSide = await inboundEvents.NextRequestAsync();
        Assert.All(serverSide, e => Assert.Equal(("true", Caller, (string?)null, (string?)null), (e.Tls, e.ClientId, e.ServerId, e.NoTlsReason)));
        var clientSide = await outboundEvents.NextRequestAsync();
        Assert.All(clientSide, e => Assert.Equal(("true", (string?)null, Ml, (string?)null), (e.Tls, e.ClientId, e.ServerId, e.NoTlsReason)));
    }

    [Fact]
    public async Task Http2_and_grpc_travel_over_mutual_tls()
    {
        var mesh = new TestMesh();
        await using var app = await Upstream.StartAsync(Echo, HttpProtocols.Http2);
        await using var server = await mesh.StartProxyAsync(app.Address, Ml);
        await using var client = await mesh.StartProxyAsync("127.0.0.1:9", Caller,
            new StaticResolver(("ml.default", server.BaseUri(ListenerKind.Inbound).Authority, Ml)));
        using var http2 = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = client.BaseUri(ListenerKind.Outbound), Timeout = TestTimeouts.Default };

        using var response = await http2.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/grpc.Service/Method")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Headers = { Host = "ml.default" },
            Content = new ByteArrayContent([0, 0, 0, 0, 0]) { Headers = { ContentType = new("application/grpc") } },
        }, TestTimeouts.Token).Within();

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("HTTP/2 http ml.default", await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within());
        var inbound = await server.ScrapeSettledAsync();
        Assert.Equal(1, inbound.Sum(MetricNames.ResponseTotal, (L.Direction, "inbound"), (L.Tls, "true"), (L.ClientId, Caller)));
    }

    [Fact]
    public async Task Unmeshed_peers_get_plaintext_with_the_reason_in_the_labels()
    {
        var mesh = new TestMesh();
        await using var app = await Upstream.StartAsync(Echo);
        await using var legacy = await Upstream.StartAsync(Echo);
        await using var proxy = await mesh.StartProxyAsync(app.Address, Ml, new StaticResolver(("legacy.default", legacy.Address, null)));

        using var fromOutside = await proxy.Inbound.GetAsync("/", TestTimeouts.Token).Within();
        using var toLegacy = await proxy.Outbound.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "legacy.default" } }, TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.OK, fromOutside.StatusCode);
        Assert.Equal(HttpStatusCode.OK, toLegacy.StatusCode);
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (L.Direction, "inbound"), (L.Tls, "no_identity"), (L.NoTlsReason, "no_tls_from_remote"), (L.ClientId, "")));
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (L.Direction, "outbound"), (L.Tls, "no_identity"), (L.NoTlsReason, "not_provided_by_service_discovery"), (L.DstService, "legacy")));
        Assert.Equal(1, metrics.Sum(MetricNames.TcpOpenTotal, (L.Direction, "inbound"), (L.Peer, "src"), (L.Tls, "no_identity"), (L.NoTlsReason, "no_tls_from_remote")));
    }

    [Fact]
    public async Task A_proxy_without_identity_labels_everything_disabled()
    {
        await using var app = await Upstream.StartAsync(Echo);
        await using var proxy = await TestProxy.StartAsync(app.Address);

        using var response = await proxy.Inbound.GetAsync("/", TestTimeouts.Token).Within();

        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (L.Direction, "inbound"), (L.Tls, "disabled"), (L.NoTlsReason, "")));
        Assert.Empty(metrics.Series(MetricNames.IdentityCertRefreshCount));
        // A ClientHello on the inbound port of a proxy without identity is not TLS it serves: the exchange fails.
        var tls = await RawTls.GetAsync(IPEndPoint.Parse(proxy.BaseUri(ListenerKind.Inbound).Authority), Ml);
        Assert.NotNull(tls.Error);
    }
}
