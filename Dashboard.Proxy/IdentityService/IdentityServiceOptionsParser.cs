using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;
using Dashboard.Proxy.Configuration;
using E = Dashboard.Contracts.Identity.IdentityEnvironment;

namespace Dashboard.Proxy.IdentityService;

/// <summary>
/// Reads the identity endpoint's settings and its key material. Every problem is collected and names its variable
/// (and file); the issuer must be an ECDSA CA signed by one of the trust anchors, or proxies would refuse what it signs.
/// </summary>
public static class IdentityServiceOptionsParser
{
    public static (IdentityServiceOptions? Options, IReadOnlyList<string> Errors) Parse(Func<string, string?> env)
    {
        var errors = new List<string>();
        string Get(string name, string fallback) => string.IsNullOrWhiteSpace(env(name)) ? fallback : env(name)!.Trim();

        var listen = ProxyOptionsParser.ParseEndPoint(E.ListenAddr, Get(E.ListenAddr, E.DefaultListenAddr), errors);

        var trustDomain = Get(E.TrustDomain, IdentityNames.DefaultTrustDomain);
        if (Uri.CheckHostName(trustDomain) != UriHostNameType.Dns)
        {
            errors.Add($"{E.TrustDomain}: '{trustDomain}' is not a DNS name; expected e.g. cluster.local");
        }

        var localName = Get(E.LocalName, E.DefaultLocalName(trustDomain));
        if (IdentityNames.TrustDomainOf(localName) != trustDomain)
        {
            errors.Add($"{E.LocalName}: '{localName}' is not an identity of trust domain {trustDomain}; expected <serviceaccount>.<namespace>.serviceaccount.identity.{trustDomain}");
        }

        var lifetime = ProxyOptionsParser.ParseDuration(E.CertificateLifetime, env(E.CertificateLifetime), CertificateAuthority.DefaultLifetime, errors);
        var skew = ProxyOptionsParser.ParseDuration(E.ClockSkew, env(E.ClockSkew), CertificateAuthority.DefaultClockSkew, errors);
        Uri? api = null;
        if (!string.IsNullOrWhiteSpace(env(E.KubernetesApi)) &&
            (!Uri.TryCreate(env(E.KubernetesApi)!.Trim(), UriKind.Absolute, out api) || api.Scheme is not ("http" or "https")))
        {
            errors.Add($"{E.KubernetesApi}: '{env(E.KubernetesApi)}' is not a URL; expected http(s)://host:port, or unset for the in-cluster API");
        }

        var anchors = ReadAnchors(Get(E.TrustAnchorsFile, E.DefaultTrustAnchorsFile), errors);
        var issuer = ReadIssuer(Get(E.IssuerCertificateFile, E.DefaultIssuerCertificateFile), Get(E.IssuerKeyFile, E.DefaultIssuerKeyFile), anchors, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new IdentityServiceOptions
        {
            Listen = listen!,
            TrustDomain = trustDomain,
            TrustAnchors = anchors!,
            Issuer = issuer!,
            LocalName = localName,
            CertificateLifetime = lifetime,
            ClockSkew = skew,
            KubernetesApi = api,
        }, errors);
    }

    private static X509Certificate2Collection? ReadAnchors(string file, List<string> errors)
    {
        try
        {
            return MeshCertificates.ReadPem(File.ReadAllText(file), $"{E.TrustAnchorsFile} ({file})");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            errors.Add($"{E.TrustAnchorsFile}: cannot read the trust anchors: {ex.Message}");
            return null;
        }
    }

    private static X509Certificate2? ReadIssuer(string certificateFile, string keyFile, X509Certificate2Collection? anchors, List<string> errors)
    {
        X509Certificate2 issuer;
        try
        {
            issuer = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            errors.Add($"{E.IssuerCertificateFile}/{E.IssuerKeyFile}: cannot read the issuer certificate {certificateFile} with key {keyFile}: {ex.Message}");
            return null;
        }

        if (issuer.GetECDsaPrivateKey() is null || issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            errors.Add($"{E.IssuerCertificateFile}: {issuer.Subject} is not an ECDSA CA certificate with its key; expected the issuer (tls.crt and tls.key of the {IdentityResources.IssuerSecret} Secret)");
            return null;
        }

        if (anchors is not null)
        {
            using var chain = new X509Chain { ChainPolicy = { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck } };
            chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
            if (!chain.Build(issuer))
            {
                errors.Add($"{E.IssuerCertificateFile}: the issuer {issuer.Subject} does not chain to the trust anchors ({string.Join(", ", anchors.Select(a => a.Subject))}): " +
                    string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct()));
            }
        }

        return issuer;
    }
}
