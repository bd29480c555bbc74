using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Dashboard.Cli.Check;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Tap;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Proxy.Fleet;
using Dashboard.Tests.Fleet;

namespace Dashboard.Tests.Identity;

/// <summary>
/// mTLS in the fleet, end to end: the proxies' labels in a real Prometheus, the dashboard's TLS column through its
/// metrics service, tap, what openssl sees on a pod's port, and the identity checks of <c>dashboard check</c>.
/// </summary>
public sealed class FleetMutualTlsTests(FleetMutualTlsTests.Fixture fixture) : IClassFixture<FleetMutualTlsTests.Fixture>
{
    private static readonly string Ml = IdentityNames.Format("ml", "default");
    private static readonly string Test1 = IdentityNames.Format("test-1", "default");
    private static readonly string Test2 = IdentityNames.Format("test-2", "default");

    public sealed class Fixture : FleetFixture
    {
        protected override byte IpOctet => 35;
    }

    [Fact]
    public async Task Meshed_callers_are_mtls_in_prometheus_and_the_tls_column_reads_100_percent_for_ml_and_0_for_the_external_clients_target()
    {
        var prometheus = fixture.Prometheus;
        await TestTimeouts.Eventually(async () => await prometheus.ValueAsync(
            """min(count_over_time(response_total{direction="inbound", namespace="default"}[1m]))""") >= 34,
            "a full 30s window of scrapes", TimeSpan.FromSeconds(90));

        // Who called whom, as the receiving side proved it: ml and test-1 only by meshed callers, over mTLS.
        Assert.Equal([$"true|{Test1}|"], await LabelsAsync("""sum(response_total{direction="inbound", deployment="ml"}) by (tls, client_id, no_tls_reason)""", "tls", "client_id", "no_tls_reason"));
        Assert.Equal([$"true|{Test2}|"], await LabelsAsync("""sum(response_total{direction="inbound", deployment="test-1"}) by (tls, client_id, no_tls_reason)""", "tls", "client_id", "no_tls_reason"));
        // test-2 is called only by the external client, which is not meshed: plaintext, and why.
        Assert.Equal(["no_identity||no_tls_from_remote"], await LabelsAsync("""sum(response_total{direction="inbound", deployment="test-2"}) by (tls, client_id, no_tls_reason)""", "tls", "client_id", "no_tls_reason"));
        // The callers' side names the server it verified.
        Assert.Equal([$"true|{Ml}"], await LabelsAsync("""sum(response_total{direction="outbound", deployment="test-1", dst_deployment="ml"}) by (tls, server_id)""", "tls", "server_id"));

        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        var metrics = new MetricsService(new PrometheusClient(http, prometheus.Url), new QueryCache(TimeProvider.System, TimeSpan.FromMilliseconds(1)));
        var stats = await metrics.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Parse("30s"), TestTimeouts.Token).Within();
        Assert.Equal(1.0, stats[new ResourceKey(WorkloadKind.Deployment, "default", "ml")].TlsShare);
        Assert.Equal(1.0, stats[new ResourceKey(WorkloadKind.Deployment, "default", "test-1")].TlsShare);
        Assert.Equal(0.0, stats[new ResourceKey(WorkloadKind.Deployment, "default", "test-2")].TlsShare);
        Assert.Equal("100%", StatFormat.TlsShare(stats[new ResourceKey(WorkloadKind.Deployment, "default", "ml")].TlsShare));
        Assert.Equal("0%", StatFormat.TlsShare(stats[new ResourceKey(WorkloadKind.Deployment, "default", "test-2")].TlsShare));
    }

    [Fact]
    public async Task Tap_shows_the_client_identity_of_meshed_calls_and_the_reason_of_plaintext_ones()
    {
        var ml = Pod("ml");
        var test2 = Pod("test-2");
        await using var mlTap = await TapClient.ConnectAsync(new Uri($"http://{ml.Tap}/tap"), FleetFixture.TapToken);
        await using var test2Tap = await TapClient.ConnectAsync(new Uri($"http://{test2.Tap}/tap"), FleetFixture.TapToken);
        var mlEvents = await mlTap.WatchAsync(new TapRequest { Direction = "inbound" }, ml.Proxy!.Tap);
        var test2Events = await test2Tap.WatchAsync(new TapRequest { Direction = "inbound" }, test2.Proxy!.Tap);

        var meshed = await mlEvents.NextAsync();
        var external = await test2Events.NextAsync();

        Assert.Equal(("true", Test1, (string?)null), (meshed.Tls, meshed.ClientId, meshed.NoTlsReason));
        Assert.Equal(("no_identity", (string?)null, "no_tls_from_remote"), (external.Tls, external.ClientId, external.NoTlsReason));
    }

    [Fact]
    public async Task Openssl_sees_tls_1_3_and_the_pods_workload_identity_and_is_refused_without_a_certificate()
    {
        var ml = Pod("ml");
        var info = new ProcessStartInfo("openssl") { RedirectStandardInput = true };
        foreach (var arg in new[] { "s_client", "-connect", ml.PodEndPoint.ToString(), "-servername", Ml, "-showcerts", "-ign_eof" })
        {
            info.ArgumentList.Add(arg);
        }

        await using var openssl = CapturedProcess.Start(info);
        // A request after the handshake: the proxy refuses a client without a certificate (-ign_eof: read until it does).
        await openssl.Process.StandardInput.WriteAsync("GET / HTTP/1.1\r\nHost: ml\r\n\r\n".AsMemory(), TestTimeouts.Token).Within();
        openssl.Process.StandardInput.Close();
        await openssl.WaitForExitAsync();
        var output = openssl.StandardOutput;
        var all = output + openssl.StandardError;

        Assert.Contains("New, TLSv1.3, Cipher is ", all, StringComparison.Ordinal);
        Assert.Contains($"subject=CN = {Ml}", all, StringComparison.Ordinal);
        Assert.Contains("issuer=CN = identity.cluster.local", all, StringComparison.Ordinal);
        var presented = new X509Certificate2Collection();
        presented.ImportFromPem(output);
        Assert.Equal(Ml, IdentityNames.Of(presented[0]));
        Assert.Equal("CN=identity.cluster.local", presented[1].Subject);
        Assert.DoesNotContain("HTTP/1.1 200", all, StringComparison.Ordinal);
        Assert.True(all.Contains("alert certificate required", StringComparison.Ordinal) || all.Contains("unexpected eof", StringComparison.Ordinal), all);
    }

    [Fact]
    public async Task The_identity_checks_pass_on_the_fleet_and_see_every_proxys_certificate()
    {
        using var kubernetes = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = fixture.Api.ToString() });
        var material = await IdentityCheckSource.ReadMaterialAsync(kubernetes, cancellationToken: TestTimeouts.Token).Within();
        var meshed = fixture.Fleet.Topology.Pods.Where(p => p.Meshed && p.Runs).ToList();
        var proxies = await Task.WhenAll(meshed.Select(p => IdentityCheckSource.ProbeAsync($"{p.Namespace}/{p.Name}", p.PodEndPoint, TestMesh.Id(p.ServiceAccount, p.Namespace), TestTimeouts.Default, TestTimeouts.Token))).Within();

        var results = IdentityChecks.Run(material, proxies, DateTimeOffset.UtcNow);

        Assert.Null(material.Problem);
        Assert.Equal(fixture.Fleet.Identity!.TrustAnchor.ExportCertificatePem(), material.TrustAnchorsPem!.Trim());
        Assert.All(proxies, p => Assert.Equal(FleetIdentity.Of(meshed.Single(m => $"{m.Namespace}/{m.Name}" == p.Pod)), IdentityNames.Of(p.Certificate!)));
        Assert.All(results, r => Assert.True(r.Status == CheckStatus.Ok, $"{r.Description}: {r.Message}"));
        Assert.Equal(9, results.Count);
    }

    private FleetPod Pod(string deployment) => fixture.Fleet.Topology.ServicePods("default", deployment)[0];

    private async Task<string[]> LabelsAsync(string promql, params string[] labels)
    {
        var result = await fixture.Prometheus.QueryAsync(promql);
        return [.. result.EnumerateArray()
            .Select(s => string.Join("|", labels.Select(l => s.GetProperty("metric").TryGetProperty(l, out var v) ? v.GetString() : "")))
            .Order()];
    }
}
