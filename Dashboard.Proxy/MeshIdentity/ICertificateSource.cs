namespace Dashboard.Proxy.MeshIdentity;

/// <summary>Where a proxy gets its workload certificates: the identity endpoint in a cluster, the fleet's own issuer locally.</summary>
public interface ICertificateSource
{
    /// <summary>A certificate for the key that signed <paramref name="signingRequest"/> (PKCS#10 DER).</summary>
    /// <exception cref="IdentityUnavailableException">No certificate now; the message says why. The proxy retries.</exception>
    Task<IssuedCertificate> CertifyAsync(string identity, byte[] signingRequest, CancellationToken cancellationToken);
}

/// <summary>The certificate source could not certify the proxy (unreachable, refused); retried with backoff.</summary>
public sealed class IdentityUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
