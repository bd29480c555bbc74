using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Cli.Check;
using Dashboard.Contracts.Identity;
using Dashboard.Proxy.IdentityService;

namespace Dashboard.Tests.Identity;

/// <summary>The identity checks of <c>dashboard check</c>: each problem gives its line, status, what is wrong and a hint.</summary>
public sealed class IdentityChecksTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static X509Certificate2 Anchor(double daysLeft = 365) => MeshCertificates.CreateTrustAnchor("cluster.local", Now.AddDays(-10), Now.AddDays(daysLeft));

    private static X509Certificate2 Issuer(X509Certificate2 anchor, double daysLeft = 300) => MeshCertificates.CreateIssuer(anchor, "cluster.local", Now.AddDays(-1), Now.AddDays(daysLeft));

    private static IdentityMaterial Material(X509Certificate2 anchor, X509Certificate2 issuer) => new(anchor.ExportCertificatePem(), issuer.ExportCertificatePem());

    private static IdentityCheckResult Line(IReadOnlyList<IdentityCheckResult> results, string description) => results.Single(r => r.Description == description);

    [Fact]
    public void A_healthy_mesh_passes_every_check_in_order()
    {
        var anchor = Anchor();
        var issuer = Issuer(anchor);
        var workload = new CertificateAuthority(issuer, "cluster.local").Issue(new PublicKey(MeshCertificates.NewKey()), TestMesh.Id("ml"), Now.AddMinutes(-1), Now.AddHours(24));

        var results = IdentityChecks.Run(Material(anchor, issuer), [new ProxyCertificate("default/ml-0", workload.Certificate, workload.Intermediates)], Now);

        Assert.Equal(
        [
            "linkerd-identity: certificate config is valid",
            "linkerd-identity: trust anchors are using supported crypto algorithm",
            "linkerd-identity: trust anchors are within their validity period",
            "linkerd-identity: trust anchors are valid for at least 60 days",
            "linkerd-identity: issuer cert is using supported crypto algorithm",
            "linkerd-identity: issuer cert is within its validity period",
            "linkerd-identity: issuer cert is valid for at least 60 days",
            "linkerd-identity: issuer cert is issued by the trust anchor",
            "linkerd-identity-data-plane: data plane proxies certificate match CA",
        ], results.Select(r => $"{r.Category}: {r.Description}"));
        Assert.All(results, r => Assert.Equal((CheckStatus.Ok, null, null), (r.Status, r.Message, r.Hint)));
    }

    [Fact]
    public void An_issuer_of_another_anchor_and_a_proxy_of_another_mesh_are_errors_with_hints()
    {
        var anchor = Anchor();
        var foreignIssuer = Issuer(Anchor());
        var foreign = new CertificateAuthority(foreignIssuer, "cluster.local").Issue(new PublicKey(MeshCertificates.NewKey()), TestMesh.Id("web", "shop"), Now.AddMinutes(-1), Now.AddHours(24));

        var results = IdentityChecks.Run(Material(anchor, foreignIssuer),
            [new ProxyCertificate("shop/web-0", foreign.Certificate, foreign.Intermediates), new ProxyCertificate("shop/web-1", null, [], "no certificate from 127.0.0.1:8080: Connection refused")], Now);

        var issued = Line(results, "issuer cert is issued by the trust anchor");
        Assert.Equal(CheckStatus.Fail, issued.Status);
        Assert.StartsWith("CN=identity.cluster.local: ", issued.Message, StringComparison.Ordinal);
        Assert.Equal("re-issue the issuer certificate from the current trust anchor (or add the anchor that signed it to the trust bundle)", issued.Hint);
        var dataPlane = Line(results, "data plane proxies certificate match CA");
        Assert.Equal(CheckStatus.Fail, dataPlane.Status);
        Assert.StartsWith("2 of 2 proxies present certificates that do not match the trust anchor: shop/web-0 (", dataPlane.Message, StringComparison.Ordinal);
        Assert.EndsWith("shop/web-1 (no certificate from 127.0.0.1:8080: Connection refused)", dataPlane.Message, StringComparison.Ordinal);
        Assert.Equal("restart these pods so their proxies obtain certificates from the current issuer (kubectl rollout restart)", dataPlane.Hint);
    }

    [Fact]
    public void Less_than_60_days_left_is_a_warning_and_an_expired_anchor_an_error()
    {
        var anchor = Anchor(daysLeft: 400);
        var results = IdentityChecks.Run(Material(anchor, Issuer(anchor, daysLeft: 30)), [], Now);
        var soon = Line(results, "issuer cert is valid for at least 60 days");
        Assert.Equal(CheckStatus.Warn, soon.Status);
        Assert.Matches(@"^CN=identity\.cluster\.local expires at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ, in 30 days$", soon.Message);
        Assert.StartsWith("issue a new issuer certificate from the trust anchor", soon.Hint, StringComparison.Ordinal);

        var expired = MeshCertificates.CreateTrustAnchor("cluster.local", Now.AddDays(-30), Now.AddDays(-1));
        var old = MeshCertificates.CreateIssuer(expired, "cluster.local", Now.AddDays(-20), Now.AddDays(-2));
        var results2 = IdentityChecks.Run(Material(expired, old), [], Now);
        Assert.Equal(CheckStatus.Fail, Line(results2, "trust anchors are within their validity period").Status);
        Assert.StartsWith("CN=root.cluster.local expired at ", Line(results2, "trust anchors are within their validity period").Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Ok, Line(results2, "trust anchors are valid for at least 60 days").Status);
        Assert.Equal(CheckStatus.Fail, Line(results2, "issuer cert is within its validity period").Status);
    }

    [Fact]
    public void An_rsa_anchor_is_an_unsupported_algorithm()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=rsa-root", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var anchor = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(365));

        var result = Line(IdentityChecks.Run(Material(anchor, Issuer(Anchor())), [], Now), "trust anchors are using supported crypto algorithm");

        Assert.Equal((CheckStatus.Fail, "CN=rsa-root uses RSA; expected ECDSA P-256"), (result.Status, result.Message));
    }

    [Theory]
    [InlineData(null, "no trust anchors found")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "the trust anchors are not valid PEM: ")]
    [InlineData("hello", "the trust anchors hold no PEM certificate")]
    public void Missing_or_broken_material_stops_at_the_first_check(string? anchors, string message)
    {
        var results = IdentityChecks.Run(new IdentityMaterial(anchors, Issuer(Anchor()).ExportCertificatePem()), [], Now);

        var config = Assert.Single(results);
        Assert.Equal(CheckStatus.Fail, config.Status);
        Assert.StartsWith(message, config.Message, StringComparison.Ordinal);
        Assert.Contains("linkerd-identity-trust-roots", config.Hint, StringComparison.Ordinal);
    }
}
