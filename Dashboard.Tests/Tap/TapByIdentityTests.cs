using System.Net;
using System.Net.Security;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Contracts.Tap;
using Dashboard.Tap;

namespace Dashboard.Tests.Tap;

/// <summary>
/// Tap in a cluster: the dashboard proves its mesh identity to a real proxy process with the workload certificate it
/// got from the identity endpoint, so no shared secret is needed; every other subscriber is refused with the reason.
/// </summary>
public sealed class TapByIdentityTests(IdentityTapFixture fixture) : IClassFixture<IdentityTapFixture>
{
    [Fact]
    public async Task The_dashboards_identity_streams_the_requests_that_pass_the_proxy()
    {
        await using var identity = await fixture.ClientIdentityAsync(IdentityTapFixture.DashboardIdentity, "token-dashboard");
        await using var tap = fixture.Tap(new TapConnectionOptions(Token: null) { Identity = identity.Identity });

        await tap.UntilPodAsync(IdentityTapFixture.Pod, p => p.State == TapPodState.Streaming, "the tap over mesh TLS to stream");
        await RequestsUntilTappedAsync(tap, "/over-mesh-tls");

        var row = tap.Completed().First(r => r.Path == "/over-mesh-tls");
        Assert.Equal(("inbound", 200), (row.Direction, row.Status));
    }

    [Fact]
    public async Task Another_workloads_identity_is_refused_and_the_refusal_names_both_identities()
    {
        await using var identity = await fixture.ClientIdentityAsync(IdentityTapFixture.OtherIdentity, "token-ml");
        await using var tap = fixture.Tap(new TapConnectionOptions(Token: null) { Identity = identity.Identity });

        await tap.UntilPodAsync(IdentityTapFixture.Pod, p => p.State == TapPodState.Refused, "the proxy to refuse the tap");

        var pod = Assert.Single(tap.Session.Pods);
        Assert.Equal($"refused (403): tap refused: identity {IdentityTapFixture.OtherIdentity} is not the tap client {IdentityTapFixture.DashboardIdentity} ({ProxyEnvironment.TapServiceName})", pod.Reason);
        Assert.True(pod.Denied);
    }

    [Fact]
    public async Task A_subscriber_without_a_client_certificate_is_refused_with_the_reason()
    {
        var verifier = new PeerVerifier([fixture.Identity.Mesh.Anchor]);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = verifier.Policy(null),
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => verifier.Evaluate(certificate, chain,
                    errors & ~SslPolicyErrors.RemoteCertificateNameMismatch, IdentityTapFixture.ProxyIdentity, DateTimeOffset.UtcNow).Refusal is null,
            },
        })
        { Timeout = TestTimeouts.Default };

        using var response = await client.PostAsync(new Uri(TapTls.Secure(fixture.TapHub), "/tap/negotiate?negotiateVersion=1"), null, TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("tap refused: presented no certificate: mTLS needs the caller's workload certificate; " +
            $"tap needs the certificate of the tap client {IdentityTapFixture.DashboardIdentity} ({ProxyEnvironment.TapServiceName})",
            (await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within()).Trim());
    }

    [Fact]
    public async Task The_dashboard_refuses_a_proxy_that_is_not_the_pods()
    {
        await using var identity = await fixture.ClientIdentityAsync(IdentityTapFixture.DashboardIdentity, "token-dashboard");
        // The inventory says the pod runs as ServiceAccount "billing": the proxy answering at its address is someone else.
        await using var tap = fixture.Tap(new TapConnectionOptions(Token: null) { Identity = identity.Identity }, serviceAccount: "billing");

        await tap.UntilPodAsync(IdentityTapFixture.Pod, p => p.State == TapPodState.Refused, "the dashboard to refuse the proxy");

        Assert.Equal("the proxy did not prove the pod's identity: expected identity billing.shop.serviceaccount.identity.cluster.local, " +
            $"the peer presented {IdentityTapFixture.ProxyIdentity}", Assert.Single(tap.Session.Pods).Reason);
    }

    [Fact]
    public async Task The_token_still_taps_in_plaintext()
    {
        await using var tap = fixture.Tap(new TapConnectionOptions(IdentityTapFixture.Token));

        await tap.UntilPodAsync(IdentityTapFixture.Pod, p => p.State == TapPodState.Streaming, "the tap with the token to stream");
        await RequestsUntilTappedAsync(tap, "/with-the-token");
    }

    [Fact]
    public async Task A_tap_client_name_that_is_not_an_identity_stops_the_proxy_with_its_message()
    {
        var env = fixture.ProxyEnvironmentFor(fixture.App.Address);
        env[ProxyEnvironment.TapServiceName] = "dashboard";
        await using var proxy = ProxyProcess.Start(env);

        Assert.Equal(Dashboard.Proxy.Hosting.ProxyExitCodes.BadConfiguration, await proxy.WaitForExitAsync(TestTimeouts.Slow));
        Assert.Contains($"{ProxyEnvironment.TapServiceName}: 'dashboard' is not an identity; expected the tap client's (the dashboard's), " +
            $"e.g. {IdentityTapFixture.DashboardIdentity}", proxy.Output, StringComparison.Ordinal);
    }

    // The stream is subscribed a moment after the pod reports Streaming: send until a request is seen.
    private async Task RequestsUntilTappedAsync(TapRecorder tap, string path) =>
        await TestTimeouts.Eventually(async () =>
        {
            using var response = await fixture.Inbound.GetAsync(path, TestTimeouts.Token);
            return tap.Completed().Any(r => r.Path == path);
        }, $"a tapped request to {path}", TestTimeouts.Slow);
}
