namespace Dashboard.Contracts.Identity;

/// <summary>Where a workload (a proxy, the dashboard) gets its certificates: the identity endpoint in a cluster, the fleet's own issuer locally.</summary>
public interface ICertificateSource
{
    /// <summary>A certificate for the key that signed <paramref name="signingRequest"/> (PKCS#10 DER).</summary>
    /// <exception cref="IdentityUnavailableException">No certificate now; the message says why. The workload retries.</exception>
    Task<IssuedCertificate> CertifyAsync(string identity, byte[] signingRequest, CancellationToken cancellationToken);
}

/// <summary>The certificate source could not certify the workload (unreachable, refused); retried with backoff.</summary>
public sealed class IdentityUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
