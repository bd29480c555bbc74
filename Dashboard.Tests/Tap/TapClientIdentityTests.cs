using Dashboard.Configuration;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Tap;
using Dashboard.Tests.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Tap;

/// <summary>The dashboard's workload identity, configured by its Dashboard:Identity keys, from a real identity endpoint.</summary>
public sealed class TapClientIdentityTests
{
    private static readonly string Dashboard = ProxyEnvironment.DefaultTapServiceName(IdentityNames.DefaultTrustDomain);

    [Fact]
    public async Task The_dashboard_obtains_its_certificate_with_its_service_account_token_and_renews_it_before_it_expires()
    {
        await using var endpoint = await TestIdentityEndpoint.StartAsync(new Dictionary<string, string> { ["token-dashboard"] = "system:serviceaccount:linkerd:dashboard" });
        var (settings, errors) = DashboardOptionsParser.Parse(new DashboardOptions
        {
            Identity = new MeshIdentityOptions
            {
                TrustAnchors = endpoint.Mesh.Anchor.ExportCertificatePem(),
                LocalName = Dashboard,
                ServiceAddress = endpoint.Endpoint.BoundEndPoint.ToString(),
                TokenFile = endpoint.TokenFile("token-dashboard"),
            },
        }, DashboardEnvironment.Local);
        Assert.True(settings is not null, string.Join("; ", errors));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var client = new TapClientIdentity(settings, time, NullLogger<WorkloadIdentity>.Instance);

        await client.StartAsync(TestTimeouts.Token);
        await client.Identity!.WaitForCertificateAsync(TestTimeouts.Token).Within();
        var first = client.Identity.Current!;
        Assert.Equal(Dashboard, IdentityNames.Of(first.Certificate));
        Assert.True(first.RenewAt < first.NotAfter, $"renewal at {first.RenewAt:u} is not before expiry at {first.NotAfter:u}");

        time.SetUtcNow(first.RenewAt);
        await TestTimeouts.Eventually(() => Task.FromResult(client.Identity.Refreshes == 2), "the certificate's renewal");

        var renewed = client.Identity.Current!;
        Assert.NotEqual(first.SerialNumber, renewed.SerialNumber);
        Assert.Equal(Dashboard, IdentityNames.Of(renewed.Certificate));
        Assert.Equal(["token-dashboard", "token-dashboard"], endpoint.Kubernetes.Reviewed);
    }

    [Fact]
    public void Bad_identity_settings_are_refused_at_start_each_naming_its_key()
    {
        var (settings, errors) = DashboardOptionsParser.Parse(new DashboardOptions
        {
            Identity = new MeshIdentityOptions { TrustAnchors = "not a certificate", LocalName = "dashboard", ServiceAddress = "identity", ServiceName = "linkerd-identity" },
        }, DashboardEnvironment.Local);

        Assert.Null(settings);
        Assert.Equal([ConfigKeys.IdentityTrustAnchors, ConfigKeys.IdentityLocalName, ConfigKeys.IdentityServiceAddress, ConfigKeys.IdentityServiceName],
            errors.Select(e => e[..e.IndexOfAny([':', ' '], ConfigKeys.Section.Length + 1 + "Identity:".Length)]));
        Assert.Contains($"{ConfigKeys.IdentityLocalName}: 'dashboard' is not an identity", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_keys_without_the_trust_anchors_are_refused()
    {
        var (_, errors) = DashboardOptionsParser.Parse(new DashboardOptions { Identity = new MeshIdentityOptions { LocalName = Dashboard } }, DashboardEnvironment.Local);

        Assert.Equal($"{ConfigKeys.IdentityLocalName} is set but {ConfigKeys.IdentityTrustAnchors} is not: identity needs the trust anchors (PEM) too", Assert.Single(errors));
    }
}
