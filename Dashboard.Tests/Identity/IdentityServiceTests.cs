using System.Net;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Hosting;
using Dashboard.Proxy.IdentityService;
using Microsoft.AspNetCore.Http;
using L = Dashboard.Contracts.Metrics.LabelNames;

namespace Dashboard.Tests.Identity;

/// <summary>
/// The identity endpoint as a cluster runs it: configured from files and MESH_IDENTITY_* variables, reviewing tokens
/// with a (fake) Kubernetes TokenReview, certifying real proxies that then talk mTLS.
/// </summary>
public sealed class IdentityServiceTests : IAsyncLifetime
{
    private static readonly string Web = IdentityNames.Format("web", "shop");
    private static readonly string Ml = IdentityNames.Format("ml", "default");
    private TestIdentityEndpoint _identity = null!;

    public async ValueTask InitializeAsync() => _identity = await TestIdentityEndpoint.StartAsync(new Dictionary<string, string>
    {
        ["token-web"] = "system:serviceaccount:shop:web",
        ["token-ml"] = "system:serviceaccount:default:ml",
        ["token-admin"] = "kubernetes-admin",
    });

    public ValueTask DisposeAsync() => _identity.DisposeAsync();

    [Fact]
    public async Task Proxies_obtain_certificates_with_their_service_account_tokens_and_talk_mtls()
    {
        await using var app = await Upstream.StartAsync(c => c.Response.WriteAsync("from ml"));
        await using var ml = await TestProxy.StartAsync(app.Address, _identity.ProxyEnvironmentFor(Ml, "token-ml"));
        await using var web = await TestProxy.StartAsync("127.0.0.1:9", _identity.ProxyEnvironmentFor(Web, "token-web"),
            new StaticResolver(("ml.default", ml.BaseUri(ListenerKind.Inbound).Authority, Ml)));
        await ml.Instance.Identity!.WaitForCertificateAsync(TestTimeouts.Token).Within();
        await web.Instance.Identity!.WaitForCertificateAsync(TestTimeouts.Token).Within();

        using var response = await web.Outbound.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "ml.default" } }, TestTimeouts.Token).Within();

        Assert.Equal("from ml", await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within());
        Assert.Equal(Web, IdentityNames.Of(web.Instance.Identity.Current!.Certificate));
        Assert.Equal(TimeSpan.FromHours(24), web.Instance.Identity.Current.NotAfter - new DateTimeOffset(web.Instance.Identity.Current.Certificate.NotBefore.ToUniversalTime()) - TimeSpan.FromSeconds(20));
        Assert.Contains("token-web", _identity.Kubernetes.Reviewed);
        var metrics = await ml.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (L.Direction, "inbound"), (L.Tls, "true"), (L.ClientId, Web)));
        Assert.True((await ml.Admin.GetAsync("/ready", TestTimeouts.Token).Within()).IsSuccessStatusCode);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "token-web", Ml, $"403 the token of ServiceAccount shop/web grants identity {Web}, not {Ml}" },
        { "token-stolen", Web, "401 the token is not valid: [invalid bearer token, square/go-jose: error in cryptographic primitive]" },
        { "token-admin", Web, "401 the token belongs to kubernetes-admin, not to a ServiceAccount" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task The_endpoint_grants_a_token_only_its_own_service_accounts_identity(string token, string identity, string refusal)
    {
        using var client = new IdentityServiceClient(_identity.OptionsFor(identity, token));
        using var key = MeshCertificates.NewKey();

        var error = await Assert.ThrowsAsync<IdentityUnavailableException>(() => client.CertifyAsync(identity, MeshCertificates.CreateSigningRequest(key, identity), TestTimeouts.Token)).Within();

        Assert.Equal($"the identity endpoint {_identity.Endpoint.BoundEndPoint} refused: {refusal}", error.Message);
    }

    [Fact]
    public async Task A_request_that_is_not_a_signed_p256_request_is_refused_and_an_unreachable_api_is_a_503()
    {
        using var client = new IdentityServiceClient(_identity.OptionsFor(Web, "token-web"));
        var garbage = await Assert.ThrowsAsync<IdentityUnavailableException>(() => client.CertifyAsync(Web, [48, 3, 1, 2, 3], TestTimeouts.Token)).Within();
        Assert.StartsWith($"the identity endpoint {_identity.Endpoint.BoundEndPoint} refused: 400 the certificate signing request is not a valid signed PKCS#10 request", garbage.Message, StringComparison.Ordinal);

        await _identity.Kubernetes.DisposeAsync();
        using var key = MeshCertificates.NewKey();
        var down = await Assert.ThrowsAsync<IdentityUnavailableException>(() => client.CertifyAsync(Web, MeshCertificates.CreateSigningRequest(key, Web), TestTimeouts.Token)).Within();
        Assert.StartsWith($"the identity endpoint {_identity.Endpoint.BoundEndPoint} refused: 503 cannot check the token now: TokenReview at {_identity.Kubernetes.Url}", down.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_refuses_an_endpoint_that_does_not_prove_the_expected_identity()
    {
        using var client = new IdentityServiceClient(_identity.OptionsFor(Web, "token-web") with { ServiceName = IdentityNames.Format("impostor", "linkerd") });
        using var key = MeshCertificates.NewKey();

        var error = await Assert.ThrowsAsync<IdentityUnavailableException>(() => client.CertifyAsync(Web, MeshCertificates.CreateSigningRequest(key, Web), TestTimeouts.Token)).Within();

        Assert.StartsWith($"cannot reach the identity endpoint {_identity.Endpoint.BoundEndPoint} (expected identity impostor.linkerd.serviceaccount.identity.cluster.local)", error.Message, StringComparison.Ordinal);
        Assert.Empty(_identity.Kubernetes.Reviewed);
    }

    [Fact]
    public async Task The_identity_process_names_every_bad_variable_and_file()
    {
        await using var process = ProxyProcess.Start(new Dictionary<string, string>
        {
            [IdentityEnvironment.ListenAddr] = "everywhere",
            [IdentityEnvironment.TrustAnchorsFile] = Path.Combine(_identity.Files, "missing.crt"),
            [IdentityEnvironment.IssuerCertificateFile] = _identity.File("issuer.crt", _identity.Mesh.Anchor.ExportCertificatePem()),
            [IdentityEnvironment.IssuerKeyFile] = Path.Combine(_identity.Files, "missing.key"),
            [IdentityEnvironment.CertificateLifetime] = "a day",
        }, "identity");

        Assert.Equal(Dashboard.Proxy.Hosting.ProxyExitCodes.BadConfiguration, await process.WaitForExitAsync(TestTimeouts.Slow));
        Assert.Contains("MESH_IDENTITY_LISTEN_ADDR: 'everywhere' is not an address", process.Output, StringComparison.Ordinal);
        Assert.Contains("MESH_IDENTITY_CERT_LIFETIME: 'a day' is not a duration", process.Output, StringComparison.Ordinal);
        Assert.Contains($"MESH_IDENTITY_TRUST_ANCHORS_FILE: cannot read the trust anchors: Could not find file '{_identity.Files}/missing.crt'", process.Output, StringComparison.Ordinal);
        Assert.Contains("MESH_IDENTITY_ISSUER_CERT_FILE/MESH_IDENTITY_ISSUER_KEY_FILE: cannot read the issuer certificate", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_issuer_not_signed_by_the_trust_anchors_is_refused_at_start()
    {
        var env = _identity.Environment(_identity.Kubernetes.Url);
        env[IdentityEnvironment.TrustAnchorsFile] = _identity.File("other.crt", new TestMesh().Anchor.ExportCertificatePem());

        var (options, errors) = IdentityServiceOptionsParser.Parse(env.GetValueOrDefault);

        Assert.Null(options);
        Assert.StartsWith("MESH_IDENTITY_ISSUER_CERT_FILE: the issuer CN=identity.cluster.local does not chain to the trust anchors (CN=root.cluster.local)", Assert.Single(errors), StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
