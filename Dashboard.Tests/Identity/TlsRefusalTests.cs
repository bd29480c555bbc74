using System.Net;
using Dashboard.Contracts.Metrics;
using Dashboard.Proxy.Hosting;
using Microsoft.AspNetCore.Http;
using L = Dashboard.Contracts.Metrics.LabelNames;

namespace Dashboard.Tests.Identity;

/// <summary>
/// What mTLS refuses: on the inbound port a client without a certificate, with an expired one or one of another
/// mesh; outbound a destination that cannot prove the identity discovery expects. Each refusal is a log line that
/// says why, and a count.
/// </summary>
public sealed class TlsRefusalTests
{
    private static readonly string Ml = TestMesh.Id("ml");
    private static readonly string Caller = TestMesh.Id("test-1");

    public static TheoryData<string, string, string> InboundCases => new()
    {
        { "none", "tls_no_certificate", "presented no certificate" },
        { "expired", "tls_expired_certificate", $"the certificate of {Caller} expired at " },
        { "foreign", "tls_untrusted_certificate", $"the certificate of {Caller} (issued by CN=identity.cluster.local) does not chain to this mesh's trust anchor (CN=root.cluster.local)" },
    };

    [Theory]
    [MemberData(nameof(InboundCases))]
    public async Task The_inbound_port_refuses_a_client_that_cannot_prove_a_mesh_identity(string certificate, string error, string reason)
    {
        var mesh = new TestMesh();
        var logs = new LogCapture();
        await using var app = await Upstream.StartAsync(c => c.Response.WriteAsync("secret"));
        await using var proxy = await mesh.StartProxyAsync(app.Address, Ml, logs: logs);
        var (cert, chain) = certificate switch
        {
            "expired" => mesh.Workload(Caller, DateTimeOffset.UtcNow.AddHours(-3), DateTimeOffset.UtcNow.AddHours(-1)),
            "foreign" => new TestMesh().Workload(Caller),
            _ => (null, null),
        };

        var exchange = await RawTls.GetAsync(IPEndPoint.Parse(proxy.BaseUri(ListenerKind.Inbound).Authority), Ml, cert, chain);

        // TLS 1.3 finishes the client's side of the handshake before the server judges its certificate: the refusal
        // arrives as the connection ends, and no request reaches the app.
        Assert.Equal(Ml, Dashboard.Contracts.Identity.IdentityNames.Of(exchange.ServerCertificate!));
        Assert.DoesNotContain("secret", exchange.Response ?? "", StringComparison.Ordinal);
        var line = await logs.WaitForAsync(LogLevel.Warning, "Refused inbound TLS from 127.0.0.1:", $"to {Ml}: {error}: {reason}");
        Assert.StartsWith("Refused inbound TLS", line, StringComparison.Ordinal);
        var metrics = await proxy.ScrapeAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.InboundTcpErrorsTotal, (L.Error, error), (L.TargetAddr, "127.0.0.1:0")));
        Assert.Equal(0, metrics.Sum(MetricNames.RequestTotal));
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_the_mesh_is_served()
    {
        var mesh = new TestMesh();
        await using var app = await Upstream.StartAsync(c => c.Response.WriteAsync("hello"));
        await using var proxy = await mesh.StartProxyAsync(app.Address, Ml);
        var (cert, chain) = mesh.Workload(Caller);

        var exchange = await RawTls.GetAsync(IPEndPoint.Parse(proxy.BaseUri(ListenerKind.Inbound).Authority), Ml, cert, chain);

        Assert.Null(exchange.Error);
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls13, exchange.Protocol);
        Assert.StartsWith("HTTP/1.1 200", exchange.Response, StringComparison.Ordinal);
        Assert.EndsWith("hello", exchange.Response!.TrimEnd("\r\n0".ToCharArray()), StringComparison.Ordinal);
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (L.Tls, "true"), (L.ClientId, Caller), (L.Classification, "success")));
    }

    public static TheoryData<string, string, string> OutboundCases => new()
    {
        { "foreign", "tls_untrusted_certificate", $"the certificate of {Ml} (issued by CN=identity.cluster.local) does not chain to this mesh's trust anchor" },
        { "expired", "tls_expired_certificate", $"the certificate of {Ml} expired at " },
        { "impostor", "tls_identity_mismatch", $"expected identity {Ml}, the peer presented {TestMesh.Id("web", "shop")}" },
    };

    [Theory]
    [MemberData(nameof(OutboundCases))]
    public async Task The_outbound_side_refuses_a_destination_that_cannot_prove_the_expected_identity(string certificate, string error, string reason)
    {
        var mesh = new TestMesh();
        var (cert, chain) = certificate switch
        {
            "foreign" => new TestMesh().Workload(Ml),
            "expired" => mesh.Workload(Ml, DateTimeOffset.UtcNow.AddHours(-3), DateTimeOffset.UtcNow.AddHours(-1)),
            _ => mesh.Workload(TestMesh.Id("web", "shop")),
        };
        await using var impostor = await RawTls.ServeAsync(cert, chain);
        var address = impostor.EndPoint.ToString();
        var logs = new LogCapture();
        await using var proxy = await mesh.StartProxyAsync("127.0.0.1:9", Caller, new StaticResolver(("ml.default", address, Ml)), logs);

        using var response = await proxy.Outbound.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "ml.default" } }, TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await logs.WaitForAsync(LogLevel.Warning, $"Refused outbound TLS to {address}, expected identity {Ml}: {error}: {reason}");
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (L.Direction, "outbound"), (L.Classification, "failure"), (L.Error, "tls_handshake"),
            (L.Tls, "true"), (L.ServerId, Ml), (L.StatusCode, "502")));
        Assert.Equal(1, metrics.Sum(MetricNames.OutboundTcpErrorsTotal, (L.TargetAddr, address), (L.Error, error)));
    }
}
