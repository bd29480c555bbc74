using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Dashboard.Tests.Identity;

/// <summary>TLS peers that are not proxies: a client with whatever certificate a test gives it, and a server likewise.</summary>
public static class RawTls
{
    /// <summary>What a raw TLS client saw: the server's certificate, and the HTTP answer or the error that ended the exchange.</summary>
    public sealed record Exchange(X509Certificate2? ServerCertificate, SslProtocols Protocol, string? Response, Exception? Error);

    /// <summary>Connects with TLS 1.3 for <paramref name="serverName"/>, presenting <paramref name="certificate"/> (or none), and sends one HTTP/1.1 GET.</summary>
    /// <param name="serverName">The server name (SNI) asked for: a proxy terminates only TLS for its own identity.</param>
    public static async Task<Exchange> GetAsync(IPEndPoint endPoint, string serverName, X509Certificate2? certificate = null, X509Certificate2Collection? chain = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endPoint, TestTimeouts.Token).AsTask().Within();
        await using var ssl = new SslStream(client.GetStream());
        X509Certificate2? server = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificateContext = certificate is null ? null : SslStreamCertificateContext.Create(certificate, chain, offline: true),
            RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                // Recorded, not judged: the tests judge what the proxy presented.
                server = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
                return server is not null;
            },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options, TestTimeouts.Token).Within();
            await ssl.WriteAsync("GET / HTTP/1.1\r\nHost: raw\r\nConnection: close\r\n\r\n"u8.ToArray(), TestTimeouts.Token).AsTask().Within();
            using var reader = new StreamReader(ssl, Encoding.ASCII);
            var response = await reader.ReadToEndAsync(TestTimeouts.Token).Within();
            return new Exchange(server, ssl.SslProtocol, response, null);
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException)
        {
            return new Exchange(server, ssl.IsAuthenticated ? ssl.SslProtocol : SslProtocols.None, null, ex);
        }
    }

    /// <summary>An HTTPS server presenting <paramref name="certificate"/>: a destination whose identity the outbound proxy must judge.</summary>
    public static Task<LoopbackHost> ServeAsync(X509Certificate2 certificate, X509Certificate2Collection chain) =>
        LoopbackHost.StartAsync("impostor", app => app.Run(c => c.Response.WriteAsync("impostor")), listen: l =>
        {
            l.Protocols = HttpProtocols.Http1AndHttp2;
            l.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = certificate, ServerCertificateChain = chain, SslProtocols = SslProtocols.Tls13 });
        });
}
