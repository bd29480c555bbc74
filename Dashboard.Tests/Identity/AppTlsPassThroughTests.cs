using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Metrics;
using Dashboard.Proxy.Hosting;
using L = Dashboard.Contracts.Metrics.LabelNames;

namespace Dashboard.Tests.Identity;

/// <summary>
/// An app that serves TLS itself behind a proxy with an identity: a client without the mesh (an ingress, an unmeshed pod)
/// speaks TLS to the app, not to the proxy, whose inbound port terminates only ClientHellos for its own identity.
/// </summary>
public sealed class AppTlsPassThroughTests
{
    [Fact]
    public async Task A_ClientHello_for_the_app_s_own_name_reaches_the_app_which_answers_with_its_certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=shop.example.com", key, HashAlgorithmName.SHA256);
        using var appCertificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = ServeTlsEchoAsync(listener, appCertificate);
        var mesh = new TestMesh();
        await using var proxy = await mesh.StartProxyAsync(listener.LocalEndpoint.ToString()!, TestMesh.Id("shop"));

        using var client = new TcpClient();
        await client.ConnectAsync(proxy.Host.BoundEndPoint(proxy.Instance, ListenerKind.Inbound), TestTimeouts.Token).Within();
        X509Certificate? seen = null;
        await using var tls = new SslStream(client.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "shop.example.com",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => (seen = certificate) is not null,
        }, TestTimeouts.Token).Within();
        await tls.WriteAsync("hello over the app's TLS\n"u8.ToArray(), TestTimeouts.Token).Within();
        var echoed = new byte[25];
        await tls.ReadExactlyAsync(echoed, TestTimeouts.Token).Within();

        Assert.Equal(appCertificate.Thumbprint, new X509Certificate2(seen!).Thumbprint);
        Assert.Equal("hello over the app's TLS\n"u8.ToArray(), echoed);
        client.Close();
        await serving.Within();
        // Counted as the opaque, plaintext-to-the-mesh connection it is: no mesh identity on either side.
        await TestTimeouts.Eventually(async () => (await proxy.ScrapeAsync()).Sum(MetricNames.TcpCloseTotal,
            (L.Direction, "inbound"), (L.Peer, "src"), (L.Tls, L.Values.TlsNoIdentity), (L.NoTlsReason, L.Values.NoTlsFromRemote)) == 1, "the app's TLS counted as one plaintext inbound connection");
    }

    private static async Task ServeTlsEchoAsync(TcpListener listener, X509Certificate2 certificate)
    {
        using var accepted = await listener.AcceptTcpClientAsync(TestTimeouts.Token);
        await using var tls = new SslStream(accepted.GetStream());
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, TestTimeouts.Token);
        var buffer = new byte[256];
        int read;
        while ((read = await tls.ReadAsync(buffer, TestTimeouts.Token)) > 0)
        {
            await tls.WriteAsync(buffer.AsMemory(0, read), TestTimeouts.Token);
        }
    }
}
