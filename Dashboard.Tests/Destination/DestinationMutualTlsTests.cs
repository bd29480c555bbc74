using System.Net;
using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Tests.Identity;
using Dashboard.Tests.Proxy;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Destination;

/// <summary>
/// The destination service with an identity: mTLS on its gRPC port, callers authorized by their certificates' identities;
/// and real proxies with identities that dial it over mesh TLS and verify who it is.
/// </summary>
public sealed class DestinationMutualTlsTests
{
    private static readonly string Web = TestMesh.Id("web");

    [Fact]
    public async Task A_proxy_with_identity_gets_endpoints_over_mtls()
    {
        await using var pod = await Upstream.StartAsync(c => c.Response.WriteAsync("ml"));
        var mesh = new TestMesh();
        var store = new KubeStore();
        OutboundDiscoveryTests.AddService(store, "ml", (OutboundDiscoveryTests.Pod("ml-7f9c6d5b8-aaaaa"), pod.Port));
        await using var destination = await StartDestinationAsync(store, mesh);
        await using var proxy = await StartProxyAsync(mesh, destination.Address);

        var response = await OutboundDiscoveryTests.SendAsync(proxy, "ml");

        Assert.Equal("ml", await response.Content.ReadAsStringAsync(TestTimeouts.Token));
        Assert.Equal(1, destination.Host.Streams.Open("authority ml"));
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "outbound"), (LabelNames.DstService, "ml"), (LabelNames.DstPod, "ml-7f9c6d5b8-aaaaa")));
        Assert.Equal(0, metrics.Sum(MetricNames.OutboundTcpErrorsTotal));
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused_unauthenticated()
    {
        var mesh = new TestMesh();
        await using var destination = await StartDestinationAsync(new KubeStore(), mesh);

        var error = await GetAsync(destination.SecureClient(null, mesh.Anchor), Web, "default");

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("presented no certificate", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, destination.Host.Streams.Total);
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_another_trust_anchor_is_refused_unauthenticated_naming_the_anchor()
    {
        var mesh = new TestMesh();
        var other = new TestMesh();
        await using var destination = await StartDestinationAsync(new KubeStore(), mesh);

        var error = await GetAsync(destination.SecureClient(other.Workload(Web), mesh.Anchor), Web, "default");

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains($"the certificate of {Web}", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"does not chain to this mesh's trust anchor ({mesh.Anchor.Subject})", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_that_speaks_for_another_identity_or_namespace_is_refused_permission_denied_naming_both()
    {
        var mesh = new TestMesh();
        var store = new KubeStore();
        OutboundDiscoveryTests.AddService(store, "ml");
        await using var destination = await StartDestinationAsync(store, mesh);
        var client = destination.SecureClient(mesh.Workload(Web), mesh.Anchor);
        var other = TestMesh.Id("admin", "kube-system");

        var identity = await GetAsync(client, other, "default");
        var ns = await GetAsync(client, Web, "kube-system");
        using var allowed = client.Get(new GetDestination { Authority = "ml.default.svc.cluster.local:80", Caller = new Caller { Identity = Web, Namespace = "default" } },
            cancellationToken: TestTimeouts.Token);

        Assert.Equal(StatusCode.PermissionDenied, identity.StatusCode);
        Assert.Equal($"Caller.identity '{other}' is not the identity of the client certificate, {Web}", identity.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, ns.StatusCode);
        Assert.Equal($"Caller.namespace 'kube-system' is not the namespace of the client certificate's identity {Web} (default)", ns.Status.Detail);
        Assert.True(await allowed.ResponseStream.MoveNext(TestTimeouts.Token).Within());
        var metrics = new MetricSet(await destination.Admin.GetStringAsync("/metrics", TestTimeouts.Token).Within());
        Assert.Equal(1, metrics.Sum(DestinationMetrics.RefusedName, ("reason", "caller_identity_mismatch")));
        Assert.Equal(1, metrics.Sum(DestinationMetrics.RefusedName, ("reason", "caller_namespace_mismatch")));
    }

    [Fact]
    public async Task A_proxy_refuses_a_service_with_the_wrong_identity_and_goes_by_dns_as_when_the_service_is_down()
    {
        await using var app = await Upstream.StartAsync(c => c.Response.WriteAsync("direct"));
        var mesh = new TestMesh();
        var impostor = TestMesh.Id("impostor", IdentityResources.ControlPlaneNamespace);
        await using var destination = await StartDestinationAsync(new KubeStore(), mesh, impostor);
        using var logs = new LogCapture();
        await using var proxy = await StartProxyAsync(mesh, destination.Address, logs);

        var response = await OutboundDiscoveryTests.SendAsync(proxy, $"localhost:{app.Port}");

        Assert.Equal("direct", await response.Content.ReadAsStringAsync(TestTimeouts.Token));
        var expected = DestinationEnvironment.DefaultLocalName(IdentityNames.DefaultTrustDomain);
        var line = await logs.WaitForAsync(LogLevel.Warning, "Refused outbound TLS to " + destination.Address, PeerRefusal.IdentityMismatch);
        Assert.Contains($"expected identity {expected}, the peer presented {impostor}", line, StringComparison.Ordinal);
        var metrics = await proxy.ScrapeSettledAsync();
        Assert.True(metrics.Sum(MetricNames.OutboundTcpErrorsTotal, (LabelNames.TargetAddr, destination.Address), (LabelNames.Error, PeerRefusal.IdentityMismatch)) >= 1);
        Assert.Equal(0, destination.Host.Streams.Total);
    }

    [Fact]
    public async Task A_renewed_certificate_is_presented_to_new_connections_without_a_restart_while_an_open_stream_keeps_going()
    {
        // Certificates of 4 s, renewed at 70 %: a renewal comes within the test's timeout.
        var mesh = new TestMesh(TimeSpan.FromSeconds(4));
        var store = new KubeStore();
        OutboundDiscoveryTests.AddService(store, "ml");
        await using var destination = await StartDestinationAsync(store, mesh);
        var serials = new List<string>();
        var first = destination.SecureClient(mesh.Workload(Web), mesh.Anchor, c => serials.Add(c.SerialNumber));
        using var open = first.Get(new GetDestination { Authority = "ml.default.svc.cluster.local:80", Caller = new Caller { Identity = Web, Namespace = "default" } },
            cancellationToken: TestTimeouts.Token);
        Assert.True(await open.ResponseStream.MoveNext(TestTimeouts.Token).Within());
        var firstSerial = Assert.Single(serials);

        await TestTimeouts.Eventually(() => Task.FromResult(destination.Host.Identity!.Current!.SerialNumber != firstSerial), "the service to renew its certificate");
        var later = new List<string>();
        var second = destination.SecureClient(mesh.Workload(Web), mesh.Anchor, c => later.Add(c.SerialNumber));
        using var again = second.Get(new GetDestination { Authority = "ml.default.svc.cluster.local:80", Caller = new Caller { Identity = Web, Namespace = "default" } },
            cancellationToken: TestTimeouts.Token);

        Assert.True(await again.ResponseStream.MoveNext(TestTimeouts.Token).Within());
        Assert.NotEqual(firstSerial, Assert.Single(later));
        Assert.Equal(2, destination.Host.Streams.Open("authority ml.default.svc.cluster.local:80"));
    }

    [Fact]
    public async Task Without_identity_the_service_serves_plaintext_and_warns_that_callers_are_not_authenticated()
    {
        using var logs = new LogCapture();
        await using var destination = await TestDestination.StartAsync(new KubeStore(), logs: logs);

        var line = await logs.WaitForAsync(LogLevel.Warning, "does not authenticate its callers");

        Assert.Contains("plaintext", line, StringComparison.Ordinal);
        Assert.Null(destination.Host.Identity);
    }

    private static async Task<TestDestination> StartDestinationAsync(KubeStore store, TestMesh mesh, string? identity = null)
    {
        var destination = await TestDestination.StartAsync(store, mesh, identity);
        await TestTimeouts.Eventually(() => Task.FromResult(destination.Host.IsSynced), "the destination service to sync");
        return destination;
    }

    private static async Task<TestProxy> StartProxyAsync(TestMesh mesh, string destination, LogCapture? logs = null)
    {
        var env = mesh.Environment(Web);
        env[ProxyEnvironment.DestinationServiceAddr] = destination;
        env[ProxyEnvironment.PodNamespace] = "default";
        var proxy = await TestProxy.StartAsync("127.0.0.1:1", env, certificates: mesh.Source, logs: logs);
        await proxy.Instance.Identity!.WaitForCertificateAsync(TestTimeouts.Token).Within();
        return proxy;
    }

    /// <summary>The error a <c>Get</c> for an authority ends with, asked as <paramref name="identity"/> from <paramref name="namespace"/>.</summary>
    private static async Task<RpcException> GetAsync(Contracts.Destination.Destination.DestinationClient client, string identity, string @namespace)
    {
        using var call = client.Get(new GetDestination { Authority = "ml.default.svc.cluster.local:80", Caller = new Caller { Identity = identity, Namespace = @namespace } },
            cancellationToken: TestTimeouts.Token);
        return await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(TestTimeouts.Token)).Within();
    }
}
