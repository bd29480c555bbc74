using System.Security.Cryptography;
using Dashboard.Contracts.Identity;
using E = Dashboard.Contracts.Proxy.ProxyEnvironment;

namespace Dashboard.Proxy.Configuration;

/// <summary>
/// Reads the proxy's identity settings. Identity is on when <c>MESH_PROXY_IDENTITY_TRUST_ANCHORS</c> is set, and then
/// needs the local name and the identity endpoint's address; every problem names its variable.
/// </summary>
internal static class IdentityOptionsParser
{
    public static IdentityOptions? Parse(Func<string, string?> env, List<string> errors)
    {
        string? Get(string name) => string.IsNullOrWhiteSpace(env(name)) ? null : env(name)!.Trim();
        var anchorsPem = Get(E.IdentityTrustAnchors);
        if (anchorsPem is null)
        {
            foreach (var name in new[] { E.IdentityLocalName, E.IdentityServiceAddr, E.IdentityServiceName })
            {
                if (Get(name) is not null)
                {
                    errors.Add($"{name} is set but {E.IdentityTrustAnchors} is not: identity needs the trust anchors (PEM) too");
                }
            }

            return null;
        }

        var anchors = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        try
        {
            anchors = MeshCertificates.ReadPem(anchorsPem, E.IdentityTrustAnchors);
        }
        catch (CryptographicException ex)
        {
            errors.Add($"{ex.Message}; expected the PEM of the mesh's trust anchor(s)");
        }

        var localName = Get(E.IdentityLocalName);
        if (localName is null || !IdentityNames.TryParse(localName, out _, out _, out _))
        {
            errors.Add($"{E.IdentityLocalName}: '{localName}' is not an identity; expected <serviceaccount>.<namespace>.serviceaccount.identity.<trust-domain>, e.g. web.shop.serviceaccount.identity.cluster.local");
        }

        var address = Get(E.IdentityServiceAddr);
        if (address is null || !ProxyOptionsParser.IsHostPort(address))
        {
            errors.Add($"{E.IdentityServiceAddr}: '{address}' is not an address; expected HOST:PORT of the identity endpoint, e.g. linkerd-identity.linkerd.svc.cluster.local:8080");
        }

        var serviceName = Get(E.IdentityServiceName);
        if (serviceName is not null && !IdentityNames.TryParse(serviceName, out _, out _, out _))
        {
            errors.Add($"{E.IdentityServiceName}: '{serviceName}' is not an identity; expected the identity endpoint's, e.g. {IdentityEnvironment.DefaultLocalName(IdentityNames.DefaultTrustDomain)}");
        }

        return localName is null ? null : new IdentityOptions
        {
            LocalName = localName,
            TrustAnchors = anchors,
            ServiceAddress = address,
            ServiceName = serviceName,
            TokenFile = Get(E.IdentityTokenFile) ?? E.DefaultIdentityTokenFile,
        };
    }
}
