using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;
using Dashboard.Proxy.IdentityService;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Identity;

/// <summary>The issuer: what a workload certificate is made of, and what a signing request must prove.</summary>
public sealed class CertificateAuthorityTests
{
    private static readonly string Web = IdentityNames.Format("web", "shop");

    [Fact]
    public void A_workload_certificate_is_ecdsa_p256_valid_24_hours_names_the_identity_and_chains_to_the_anchor()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var (anchor, authority) = CertificateAuthority.CreateMesh("cluster.local", TimeSpan.FromDays(365), time);
        using var key = MeshCertificates.NewKey();

        var issued = authority.Sign(MeshCertificates.CreateSigningRequest(key, Web), Web);

        var certificate = issued.Certificate;
        Assert.Equal(Web, IdentityNames.Of(certificate));
        Assert.Equal("CN=" + Web, certificate.Subject);
        Assert.Equal(time.GetUtcNow().AddHours(24).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.Equal(time.GetUtcNow().AddSeconds(-20).UtcDateTime, certificate.NotBefore.ToUniversalTime());
        using var publicKey = certificate.GetECDsaPublicKey();
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, publicKey!.ExportParameters(false).Curve.Oid.Value);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), publicKey.ExportSubjectPublicKeyInfo());
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Equal([authority.Issuer.Thumbprint], issued.Intermediates.Select(c => c.Thumbprint));
        var verdict = new PeerVerifier([anchor]).Verify(certificate, issued.Intermediates, Web, time.GetUtcNow());
        Assert.Equal((Web, null), (verdict.Identity, verdict.Refusal));
    }

    [Fact]
    public void A_certificate_never_outlives_its_issuer()
    {
        var (_, authority) = CertificateAuthority.CreateMesh("cluster.local", TimeSpan.FromHours(2), lifetime: TimeSpan.FromHours(24));
        using var key = MeshCertificates.NewKey();

        var issued = authority.Sign(MeshCertificates.CreateSigningRequest(key, Web), Web);

        Assert.Equal(authority.Issuer.NotAfter, issued.Certificate.NotAfter);
    }

    [Fact]
    public void A_signing_request_must_be_signed_by_its_key_use_p256_and_ask_for_an_identity_of_the_trust_domain()
    {
        var (_, authority) = CertificateAuthority.CreateMesh("cluster.local", TimeSpan.FromDays(1));
        using var key = MeshCertificates.NewKey();
        var request = MeshCertificates.CreateSigningRequest(key, Web);
        var tampered = (byte[])request.Clone();
        tampered[^5] ^= 0xff;
        using var rsa = RSA.Create(2048);
        var rsaRequest = new CertificateRequest("CN=" + Web, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();

        Assert.StartsWith("the certificate signing request is not a valid signed PKCS#10 request", Assert.Throws<CertifyException>(() => authority.Sign(tampered, Web)).Message, StringComparison.Ordinal);
        Assert.StartsWith("the certificate signing request is not a valid signed PKCS#10 request", Assert.Throws<CertifyException>(() => authority.Sign([1, 2, 3], Web)).Message, StringComparison.Ordinal);
        Assert.Equal("the certificate signing request's key is not ECDSA P-256", Assert.Throws<CertifyException>(() => authority.Sign(rsaRequest, Web)).Message);
        Assert.Equal("identity 'web.shop.serviceaccount.identity.example.org' is not of the form <serviceaccount>.<namespace>.serviceaccount.identity.cluster.local",
            Assert.Throws<CertifyException>(() => authority.Sign(request, IdentityNames.Format("web", "shop", "example.org"))).Message);
        Assert.Throws<CertifyException>(() => authority.Sign(request, "web.shop"));
    }

    [Theory]
    [InlineData("web.shop.serviceaccount.identity.cluster.local", true, "web", "shop", "cluster.local")]
    [InlineData("a.b.serviceaccount.identity.corp.example.com", true, "a", "b", "corp.example.com")]
    [InlineData("web.serviceaccount.identity.cluster.local", false, "", "", "")]
    [InlineData("x.web.shop.serviceaccount.identity.cluster.local", false, "", "", "")]
    [InlineData("web.shop.serviceaccount.identity.", false, "", "", "")]
    [InlineData("web shop.x.serviceaccount.identity.cluster.local", false, "", "", "")]
    public void Identity_names_parse_only_in_their_shape(string identity, bool valid, string account, string ns, string domain)
    {
        Assert.Equal(valid, IdentityNames.TryParse(identity, out var a, out var n, out var d));
        if (valid)
        {
            Assert.Equal((account, ns, domain), (a, n, d));
            Assert.Equal(identity, IdentityNames.Format(a, n, d));
        }
    }
}
