using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;

namespace Dashboard.Proxy.IdentityService;

/// <summary>
/// Signs workload certificates with an issuer certificate and key: what the identity endpoint does in a cluster and
/// the fleet does for its own pods. It signs only what a request proves: an ECDSA P-256 key whose owner signed the
/// request, for an identity of the issuer's trust domain; what identity a caller may have is decided before this.
/// </summary>
public sealed class CertificateAuthority
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);
    /// <summary>Linkerd's default clock-skew allowance: certificates start this much before they are issued.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(20);

    private readonly TimeProvider _time;

    /// <param name="issuer">The issuer certificate, with its private key.</param>
    /// <param name="chain">Certificates between the issuer and the trust anchor (usually none).</param>
    public CertificateAuthority(X509Certificate2 issuer, string trustDomain, TimeProvider? time = null, TimeSpan? lifetime = null,
        TimeSpan? clockSkew = null, X509Certificate2Collection? chain = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.HasPrivateKey || issuer.GetECDsaPrivateKey() is null)
        {
            throw new CryptographicException($"issuer {issuer.Subject} has no ECDSA private key: it cannot sign");
        }

        Issuer = issuer;
        TrustDomain = trustDomain;
        Lifetime = lifetime ?? DefaultLifetime;
        ClockSkew = clockSkew ?? DefaultClockSkew;
        Intermediates = [issuer, .. chain ?? []];
        _time = time ?? TimeProvider.System;
    }

    public X509Certificate2 Issuer { get; }
    public string TrustDomain { get; }
    public TimeSpan Lifetime { get; }
    public TimeSpan ClockSkew { get; }

    /// <summary>What a workload certificate is sent with so peers reach the trust anchor: the issuer and any chain above it.</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>Signs a PKCS#10 request for <paramref name="identity"/>.</summary>
    /// <exception cref="CertifyException">The request or the identity is not acceptable; the message says why.</exception>
    public IssuedCertificate Sign(byte[] signingRequest, string identity)
    {
        if (IdentityNames.TrustDomainOf(identity) != TrustDomain)
        {
            throw new CertifyException($"identity '{identity}' is not of the form <serviceaccount>.<namespace>.serviceaccount.identity.{TrustDomain}");
        }

        CertificateRequest request;
        try
        {
            // Checks the request's signature: the caller holds the private key of the key it asks us to certify.
            request = CertificateRequest.LoadSigningRequest(signingRequest, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (CryptographicException ex)
        {
            throw new CertifyException($"the certificate signing request is not a valid signed PKCS#10 request: {ex.Message}");
        }

        using var key = request.PublicKey.GetECDsaPublicKey();
        if (key is null || key.KeySize != 256)
        {
            throw new CertifyException("the certificate signing request's key is not ECDSA P-256");
        }

        var now = _time.GetUtcNow();
        return Issue(request.PublicKey, identity, now - ClockSkew, now + Lifetime);
    }

    /// <summary>A certificate over <paramref name="publicKey"/> with explicit validity (tests make expired ones with it).</summary>
    public IssuedCertificate Issue(PublicKey publicKey, string identity, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        new(MeshCertificates.CreateWorkload(Issuer, publicKey, identity, notBefore, notAfter), Intermediates);

    /// <summary>
    /// A new trust anchor and issuer, each valid for <paramref name="validity"/>, and the authority of the issuer:
    /// the fleet's own mesh identity.
    /// </summary>
    public static (X509Certificate2 Anchor, CertificateAuthority Authority) CreateMesh(string trustDomain, TimeSpan validity,
        TimeProvider? time = null, TimeSpan? lifetime = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var anchor = MeshCertificates.CreateTrustAnchor(trustDomain, now - TimeSpan.FromHours(1), now + validity);
        var issuer = MeshCertificates.CreateIssuer(anchor, trustDomain, now - TimeSpan.FromHours(1), now + validity);
        return (anchor, new CertificateAuthority(issuer, trustDomain, time, lifetime));
    }
}

/// <summary>A signing request the authority refuses; the message says why, for the caller.</summary>
public sealed class CertifyException(string message) : Exception(message);
