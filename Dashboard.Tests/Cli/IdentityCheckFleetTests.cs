using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Cli;
using Dashboard.Contracts.Identity;
using k8s.Models;

namespace Dashboard.Tests.Cli;

/// <summary>
/// <c>check</c>'s identity categories against the fleet: its own material passes (CheckFleetTests' golden output); a
/// control plane whose ConfigMap and Secret hold a foreign anchor and an issuer near its end fails with the hints.
/// </summary>
[Collection(CliFleetCollection.Name)]
public sealed partial class IdentityCheckFleetTests(CliFleetFixture fleet)
{
    [Fact]
    public async Task Without_proxy_only_the_control_planes_material_is_checked_and_pre_checks_none_of_it()
    {
        var run = await fleet.RunAsync("check");
        var pre = await fleet.RunAsync("check", "--pre");

        Assert.Contains(CheckFleetTests.IdentityOk, run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("linkerd-identity-data-plane", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("linkerd-identity", pre.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_anchor_an_issuer_of_another_and_near_its_end_and_proxies_of_the_fleets_mesh_fail_with_hints()
    {
        const string controlPlane = "mesh-b";
        var now = DateTimeOffset.UtcNow;
        using var anchor = MeshCertificates.CreateTrustAnchor("cluster.local", now.AddDays(-1), now.AddDays(400));
        using var other = MeshCertificates.CreateTrustAnchor("cluster.local", now.AddDays(-1), now.AddDays(400));
        using var issuer = MeshCertificates.CreateIssuer(other, "cluster.local", now.AddDays(-1), now.AddDays(30));
        fleet.Fleet.Store.Upsert(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = IdentityResources.TrustRootsConfigMap, NamespaceProperty = controlPlane },
            Data = new Dictionary<string, string> { [IdentityResources.TrustRootsKey] = anchor.ExportCertificatePem() },
        });
        fleet.Fleet.Store.Upsert(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = IdentityResources.IssuerSecret, NamespaceProperty = controlPlane },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]> { [IdentityResources.IssuerCertificateKey] = Encoding.ASCII.GetBytes(issuer.ExportCertificatePem()) },
        });

        var run = await fleet.RunAsync("check", "--proxy", "-L", controlPlane, "-n", "default");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var identity = run.Out[run.Out.IndexOf("linkerd-identity:", StringComparison.Ordinal)..run.Out.IndexOf("\n\nStatus", StringComparison.Ordinal)];
        Assert.Equal("""
            linkerd-identity: certificate config is valid..............................[ok]
            linkerd-identity: trust anchors are using supported crypto algorithm.......[ok]
            linkerd-identity: trust anchors are within their validity period...........[ok]
            linkerd-identity: trust anchors are valid for at least 60 days.............[ok]
            linkerd-identity: issuer cert is using supported crypto algorithm..........[ok]
            linkerd-identity: issuer cert is within its validity period................[ok]
            linkerd-identity: issuer cert is valid for at least 60 days................[warn]
                hint: CN=identity.cluster.local expires at DATE, in 30 days; issue a new issuer certificate from the trust anchor and update the issuer Secret; the identity endpoint signs with it from its next start
            linkerd-identity: issuer cert is issued by the trust anchor................[fail]
                hint: CN=identity.cluster.local: REASON; re-issue the issuer certificate from the current trust anchor (or add the anchor that signed it to the trust bundle)
            linkerd-identity-data-plane: data plane proxies certificate match CA.......[fail]
                hint: 4 of 4 proxies present certificates that do not match the trust anchor: default/ml-POD (REASON), default/ml-POD (REASON), default/test-1-POD (REASON), default/test-2-POD (REASON); restart these pods so their proxies obtain certificates from the current issuer (kubectl rollout restart)
            """, Masked(identity));
    }

    /// <summary>Dates, pod hashes and the platform's chain-building words masked; the structure stays exact.</summary>
    private static string Masked(string text)
    {
        text = Date().Replace(text, "DATE");
        text = PodSuffix().Replace(text, "-POD (");
        return ChainReason().Replace(text, m => m.Groups[1].Value + "REASON" + m.Groups[2].Value);
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ")]
    private static partial Regex Date();

    [GeneratedRegex(@"-[a-z0-9]+-[a-z0-9]+ \(")]
    private static partial Regex PodSuffix();

    // "CN=identity.cluster.local: <why>; re-issue" and "(<why>)" of each pod.
    [GeneratedRegex(@"(local: |POD \()[^;()]+(;|\))")]
    private static partial Regex ChainReason();
}
