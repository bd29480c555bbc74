using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Dashboard.Proxy.IdentityService;

/// <summary>Settings of the identity endpoint, read by <see cref="IdentityServiceOptionsParser"/>.</summary>
public sealed record IdentityServiceOptions
{
    public required IPEndPoint Listen { get; init; }
    public required string TrustDomain { get; init; }
    public required X509Certificate2Collection TrustAnchors { get; init; }
    /// <summary>The issuer certificate with its private key.</summary>
    public required X509Certificate2 Issuer { get; init; }
    /// <summary>The endpoint's own identity, which it presents to proxies.</summary>
    public required string LocalName { get; init; }
    public TimeSpan CertificateLifetime { get; init; } = CertificateAuthority.DefaultLifetime;
    public TimeSpan ClockSkew { get; init; } = CertificateAuthority.DefaultClockSkew;
    /// <summary>The Kubernetes API that reviews tokens; null for the pod's in-cluster configuration.</summary>
    public Uri? KubernetesApi { get; init; }
}
