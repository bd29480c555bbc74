using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dashboard.Contracts.Identity;

/// <summary>
/// Builds the mesh's certificates with System.Security.Cryptography: a self-signed trust anchor, an issuer it signs,
/// and workload certificates the issuer signs. Every key is ECDSA P-256, as Linkerd's are.
/// </summary>
public static class MeshCertificates
{
    /// <summary>serverAuth and clientAuth: a workload certificate serves both ends of mTLS.</summary>
    private static readonly OidCollection WorkloadUsages = [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")];

    public static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A self-signed root, with its private key.</summary>
    public static X509Certificate2 CreateTrustAnchor(string trustDomain, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = NewKey();
        var request = CaRequest($"root.{trustDomain}", key, pathLength: 1);
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>An intermediate CA signed by <paramref name="signer"/> (which needs its private key), with its own private key.</summary>
    public static X509Certificate2 CreateIssuer(X509Certificate2 signer, string trustDomain, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = NewKey();
        var request = CaRequest($"identity.{trustDomain}", key, pathLength: 0);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(signer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var certificate = request.Create(signer, Clamp(notBefore, signer), Clamp(notAfter, signer), NewSerial());
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// A workload certificate for <paramref name="identity"/> over <paramref name="publicKey"/>, signed by
    /// <paramref name="issuer"/>: the identity is its DNS subjectAltName (and its CN, for people reading it).
    /// </summary>
    public static X509Certificate2 CreateWorkload(X509Certificate2 issuer, PublicKey publicKey, string identity, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + identity), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(WorkloadUsages, critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(identity);
        request.CertificateExtensions.Add(names.Build(critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        return request.Create(issuer, Clamp(notBefore, issuer), Clamp(notAfter, issuer), NewSerial());
    }

    /// <summary>A PKCS#10 signing request for <paramref name="identity"/>, signed by <paramref name="key"/>.</summary>
    public static byte[] CreateSigningRequest(ECDsa key, string identity)
    {
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + identity), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(identity);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequest();
    }

    /// <summary>PEM certificates (a bundle), in order; throws <see cref="CryptographicException"/> naming what is wrong.</summary>
    public static X509Certificate2Collection ReadPem(string pem, string what)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new CryptographicException($"{what} is not valid PEM: {ex.Message}", ex);
        }

        return certificates.Count > 0 ? certificates : throw new CryptographicException($"{what} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    // An issued certificate must not outlive its issuer: a chain is only as valid as its shortest link.
    private static DateTimeOffset Clamp(DateTimeOffset time, X509Certificate2 issuer)
    {
        var notBefore = new DateTimeOffset(issuer.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(issuer.NotAfter.ToUniversalTime());
        return time < notBefore ? notBefore : time > notAfter ? notAfter : time;
    }

    private static CertificateRequest CaRequest(string name, ECDsa key, int pathLength)
    {
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + name), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, pathLength, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive INTEGER (RFC 5280 §4.1.2.2)
        return serial;
    }
}
