using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;

namespace Dashboard.Tap;

/// <summary>
/// The dashboard's side of tap over mesh TLS: it presents its workload certificate to a proxy's tap port and accepts
/// only a proxy that proves the identity of the pod dialled (its ServiceAccount's) under the trust anchors.
/// </summary>
internal static class TapTls
{
    /// <summary>The tap hub at <paramref name="hub"/> over TLS: same address and port.</summary>
    public static Uri Secure(Uri hub) => new UriBuilder(hub) { Scheme = Uri.UriSchemeHttps, Port = hub.Port }.Uri;

    /// <summary>The identity the proxy of <paramref name="target"/> holds in <paramref name="trustDomain"/>.</summary>
    public static string ProxyIdentityOf(TapTarget target, string trustDomain) => IdentityNames.Format(target.ServiceAccount, target.Namespace, trustDomain);

    /// <param name="refused">Told why the proxy's certificate was refused, when it is.</param>
    /// <exception cref="TapClientNotReadyException">The dashboard has no certificate yet.</exception>
    public static HttpMessageHandler Handler(WorkloadIdentity identity, string proxyIdentity, TimeProvider time, Action<string> refused)
    {
        var current = identity.Current
            ?? throw new TapClientNotReadyException($"the dashboard has no workload certificate yet for {identity.Name} (the identity endpoint has not issued one)");
        var tls = new SslClientAuthenticationOptions
        {
            ClientCertificateContext = current.Context,
            EnabledSslProtocols = SslProtocols.Tls13,
            AllowTlsResume = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = identity.Verifier.Policy(current.Intermediates),
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                // The identity is compared by the verifier, with a clearer message than a host name mismatch.
                var verdict = identity.Verifier.Evaluate(certificate, chain, errors & ~SslPolicyErrors.RemoteCertificateNameMismatch, proxyIdentity, time.GetUtcNow());
                if (verdict.Refusal is { } refusal)
                {
                    refused(refusal.Message);
                }

                return verdict.Refusal is null;
            },
        };
        return new RefusalReader(new SocketsHttpHandler { UseProxy = false, SslOptions = tls });
    }

    /// <summary>
    /// The WebSocket of the hub connection, through <paramref name="handler"/>: SignalR's own WebSocket would present no
    /// client certificate (it takes only a certificate collection, without the intermediates the proxy checks).
    /// </summary>
    public static async ValueTask<WebSocket> ConnectWebSocketAsync(Uri uri, HttpMessageHandler handler, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
            await socket.ConnectAsync(uri, invoker, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Turns a proxy's 401/403 into a <see cref="TapRefusedException"/> carrying the reason the proxy wrote.</summary>
    private sealed class RefusalReader(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                return response;
            }

            using (response)
            {
                var reason = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
                throw new TapRefusedException((int)response.StatusCode, reason.Length > 0 ? reason : response.ReasonPhrase ?? "");
            }
        }
    }
}

/// <summary>A proxy refused the tap subscriber; <see cref="Exception.Message"/> is the reason it gave.</summary>
internal sealed class TapRefusedException(int status, string reason) : Exception(reason)
{
    public int Status { get; } = status;
}

/// <summary>The dashboard cannot tap over mesh TLS yet (no certificate); retried.</summary>
internal sealed class TapClientNotReadyException(string message) : Exception(message);
