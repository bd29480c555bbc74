namespace Dashboard.Contracts.Identity;

/// <summary>
/// What a proxy sends the identity endpoint (<see cref="IdentityRoutes.Certify"/>, JSON over TLS): the identity it
/// wants, its ServiceAccount token as proof (checked with the Kubernetes TokenReview API) and a PKCS#10 signing
/// request for its own key, which never leaves the proxy.
/// </summary>
public sealed record CertifyRequest
{
    public required string Identity { get; init; }
    public required string Token { get; init; }
    /// <summary>DER of the PKCS#10 certificate signing request, base64.</summary>
    public required string CertificateSigningRequest { get; init; }
}

/// <summary>The identity endpoint's answer: the workload certificate and the chain up to (not including) the trust anchor.</summary>
public sealed record CertifyResponse
{
    /// <summary>PEM of the workload certificate.</summary>
    public required string Certificate { get; init; }
    /// <summary>PEM of the issuer certificates between the workload certificate and the trust anchor.</summary>
    public required IReadOnlyList<string> IntermediateCertificates { get; init; }
    public required DateTimeOffset ValidUntil { get; init; }
}

public static class IdentityRoutes
{
    public const string Certify = "/v1/certify";
}
