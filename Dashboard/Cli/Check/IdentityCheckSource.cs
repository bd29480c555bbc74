using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Dashboard.Contracts.Durations;
using Dashboard.Contracts.Identity;
using k8s;
using k8s.Autorest;

namespace Dashboard.Cli.Check;

/// <summary>
/// Fetches what <see cref="IdentityChecks"/> judges: the identity material from the Kubernetes API (the trust-roots
/// ConfigMap and the issuer Secret's certificate, never its key), and the certificate each proxy presents on its
/// inbound port, read from a TLS handshake that offers no client certificate (the proxy then refuses the connection,
/// after showing its certificate). In the fleet a pod's proxy is at its IP and app port; in a cluster the same
/// address reaches it through the pod's redirect, from wherever pods are reachable.
/// </summary>
public static class IdentityCheckSource
{
    /// <summary>Reads the identity material; what cannot be read comes back as null with the reason.</summary>
    public static async Task<IdentityMaterial> ReadMaterialAsync(IKubernetes client, string controlPlaneNamespace = IdentityResources.ControlPlaneNamespace,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        string? issuer = null;
        var problems = new List<string>();
        var (anchors, anchorsProblem) = await ReadTrustAnchorsAsync(client, controlPlaneNamespace, cancellationToken).ConfigureAwait(false);
        if (anchorsProblem is not null)
        {
            problems.Add(anchorsProblem);
        }

        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(IdentityResources.IssuerSecret, controlPlaneNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            issuer = secret.Data?.TryGetValue(IdentityResources.IssuerCertificateKey, out var crt) == true ? Encoding.ASCII.GetString(crt)
                : Missing(problems, $"Secret {controlPlaneNamespace}/{IdentityResources.IssuerSecret} has no {IdentityResources.IssuerCertificateKey}");
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            problems.Add($"cannot read Secret {controlPlaneNamespace}/{IdentityResources.IssuerSecret}: {Reason(ex)}");
        }

        return new IdentityMaterial(anchors, issuer, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    /// <summary>The PEM of the trust-roots ConfigMap (what <c>inject</c> gives each proxy), or why it could not be read.</summary>
    public static async Task<(string? Pem, string? Problem)> ReadTrustAnchorsAsync(IKubernetes client, string controlPlaneNamespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var name = $"ConfigMap {controlPlaneNamespace}/{IdentityResources.TrustRootsConfigMap}";
        try
        {
            var map = await client.CoreV1.ReadNamespacedConfigMapAsync(IdentityResources.TrustRootsConfigMap, controlPlaneNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return map.Data?.TryGetValue(IdentityResources.TrustRootsKey, out var pem) == true && !string.IsNullOrWhiteSpace(pem)
                ? (pem, null)
                : (null, $"{name} has no {IdentityResources.TrustRootsKey}");
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, $"cannot read {name}: {Reason(ex)}");
        }
    }

    /// <summary>The certificate the proxy at <paramref name="endPoint"/> presents, or why none was seen within <paramref name="timeout"/>.</summary>
    /// <param name="identity">The identity the pod's proxy should hold: the server name asked for, as a meshed client asks
    /// (a proxy terminates only TLS for its own identity and passes any other to its app).</param>
    public static async Task<ProxyCertificate> ProbeAsync(string pod, IPEndPoint endPoint, string identity, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        X509Certificate2? leaf = null;
        var intermediates = new X509Certificate2Collection();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient(endPoint.AddressFamily);
            await client.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
            await using var ssl = new SslStream(client.GetStream());
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = identity,
                EnabledSslProtocols = SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    // Copied: the handshake's objects are disposed with it. Judged later, against the mesh's anchors.
                    leaf = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    foreach (var sent in chain?.ChainPolicy.ExtraStore ?? [])
                    {
                        intermediates.Add(X509CertificateLoader.LoadCertificate(sent.RawData));
                    }

                    return false;
                },
            }, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            if (leaf is null)
            {
                var why = ex is OperationCanceledException && !cancellationToken.IsCancellationRequested ? $"no TLS answer within {DurationText.Format(timeout)}" : ex.Message;
                return new ProxyCertificate(pod, null, intermediates, $"no certificate from {endPoint}: {why}");
            }
        }

        return leaf is null
            ? new ProxyCertificate(pod, null, intermediates, $"no certificate from {endPoint}")
            : new ProxyCertificate(pod, leaf, intermediates);
    }

    private static string? Missing(List<string> problems, string problem)
    {
        problems.Add(problem);
        return null;
    }

    private static string Reason(Exception ex) => ex is HttpOperationException http ? $"{(int)http.Response.StatusCode} {http.Response.ReasonPhrase}" : ex.Message;
}
