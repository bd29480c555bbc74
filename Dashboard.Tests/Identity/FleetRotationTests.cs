using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Metrics;
using Dashboard.Proxy.Fleet;
using Dashboard.Proxy.Fleet.Manifest;
using Dashboard.Proxy.IdentityService;
using L = Dashboard.Contracts.Metrics.LabelNames;

namespace Dashboard.Tests.Identity;

/// <summary>
/// Certificates renewed under load: a fleet whose workload certificates live 6 s (renewed every 4.2 s) carries
/// pod-to-pod and external traffic, while a prober opens a new mTLS connection for each request, through several
/// rotations of every proxy. Not one request may fail.
/// </summary>
public sealed class FleetRotationTests
{
    private static readonly FleetManifest Manifest = new(
        [
            new NamespaceSpec("default",
            [
                new DeploymentSpec("ml", 2, true, [new RouteSpec("POST", "/v1/test-1", new LatencySpec(2, 8), 0, [])]),
                new DeploymentSpec("test-1", 1, true, [new RouteSpec("POST", "/v1/test-2", new LatencySpec(2, 8), 0, [new CallSpec("ml", "POST", "/v1/test-1")])]),
                new DeploymentSpec("test-2", 1, true, [new RouteSpec("POST", "/v1/test-2", new LatencySpec(2, 8), 0, [new CallSpec("test-1", "POST", "/v1/test-2")])]),
            ],
            []),
        ],
        [
            new TrafficSpec("internal", "default/test-1", "ml.default", "POST", "/v1/test-1", 20, null),
            new TrafficSpec("external", TrafficSpec.External, "test-2.default", "POST", "/v1/test-2", 20, null),
        ]);

    [Fact]
    public async Task Certificate_rotation_under_load_loses_no_request()
    {
        var started = DateTimeOffset.UtcNow;
        await using var fleet = await TestFleet.StartAsync(new FleetOptions
        {
            Manifest = Manifest,
            ApiListen = new IPEndPoint(IPAddress.Loopback, TestPorts.Free()),
            IpSecondOctet = 36,
            CertificateLifetime = TimeSpan.FromSeconds(6),
        });
        var proxies = fleet.Topology.Pods.Where(p => p.Proxy is not null).Select(p => p.Proxy!).ToList();
        var ml = fleet.Topology.ServicePods("default", "ml")[0];
        using var prober = ProberCertificate(fleet.Identity!.Authority);
        using var stopProbing = new CancellationTokenSource();
        var probes = new ConcurrentQueue<RawTls.Exchange>();
        var probing = Task.Run(async () =>
        {
            while (!stopProbing.IsCancellationRequested)
            {
                probes.Enqueue(await RawTls.GetAsync(ml.PodEndPoint, TestMesh.Id(ml.ServiceAccount, ml.Namespace), prober, fleet.Identity.Authority.Intermediates));
            }
        }, TestTimeouts.Token);

        // Three certificates each: every proxy rotated twice while traffic flowed, and new connections met new
        // certificates as they were issued (the prober's handshakes saw three of ml's).
        await TestTimeouts.Eventually(() => Task.FromResult(proxies.All(p => p.Identity!.Refreshes >= 3) &&
            probes.Where(p => p.Error is null).Select(p => p.ServerCertificate!.SerialNumber).Distinct().Count() >= 3),
            "every proxy to renew its certificate twice and the prober to meet three of ml's certificates", TestTimeouts.Slow);
        await stopProbing.CancelAsync();
        await probing.Within();
        await fleet.StopTrafficAsync().Within(TestTimeouts.Slow);

        var sent = fleet.Truth.ClientSamples(started).SelectMany(t => t.Samples).ToList();
        Assert.True(sent.Count > 100, $"only {sent.Count} requests were sent");
        Assert.All(sent, s => Assert.Equal(200, s.Status));
        Assert.All(probes, p => Assert.True(p.Error is null && p.Response!.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), p.Error?.Message ?? p.Response));
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        foreach (var pod in fleet.Topology.Pods.Where(p => p.Proxy is not null))
        {
            var metrics = new MetricSet(await http.GetStringAsync($"http://{pod.Admin}/metrics", TestTimeouts.Token).Within());
            Assert.Equal(0, metrics.Sum(MetricNames.ResponseTotal, (L.Classification, "failure")));
            Assert.Equal(0, metrics.Series(MetricNames.InboundTcpErrorsTotal).Sum(s => s.Value) + metrics.Series(MetricNames.OutboundTcpErrorsTotal).Sum(s => s.Value));
            Assert.True(metrics.Sum(MetricNames.IdentityCertRefreshCount) >= 3);
        }
    }

    private static X509Certificate2 ProberCertificate(CertificateAuthority authority)
    {
        using var key = MeshCertificates.NewKey();
        var issued = authority.Issue(new PublicKey(key), IdentityNames.Format("prober", "default"), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        return issued.Certificate.CopyWithPrivateKey(key);
    }
}
