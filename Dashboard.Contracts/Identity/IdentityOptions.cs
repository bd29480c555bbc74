using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Proxy;

namespace Dashboard.Contracts.Identity;

/// <summary>A workload's identity settings (a proxy's, or the dashboard's in a cluster): who it is, whom it trusts, and where it gets its certificates.</summary>
public sealed record IdentityOptions
{
    /// <summary>This workload's identity, <c>&lt;serviceaccount&gt;.&lt;namespace&gt;.serviceaccount.identity.&lt;trust-domain&gt;</c>.</summary>
    public required string LocalName { get; init; }
    public required X509Certificate2Collection TrustAnchors { get; init; }
    /// <summary><c>host:port</c> of the identity endpoint; null when certificates come from elsewhere (the fleet).</summary>
    public string? ServiceAddress { get; init; }
    /// <summary>The identity the identity endpoint must present.</summary>
    public string? ServiceName { get; init; }
    public string TokenFile { get; init; } = ProxyEnvironment.DefaultIdentityTokenFile;

    public string TrustDomain => IdentityNames.TrustDomainOf(LocalName) ?? IdentityNames.DefaultTrustDomain;
}
