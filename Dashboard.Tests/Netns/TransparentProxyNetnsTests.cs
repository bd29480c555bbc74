using Dashboard.Contracts.Metrics;

namespace Dashboard.Tests.Netns;

/// <summary>
/// The real proxy, transparent, in a cluster of network namespaces (<see cref="NetnsMesh"/>): apps that know nothing of it
/// (curl, and an HTTP app on two ports) reach each other through both proxies.
/// </summary>
[Collection(NetnsCollection.Name)]
public sealed class TransparentProxyNetnsTests(NetnsMesh mesh) : IClassFixture<NetnsMesh>
{
    [Fact]
    public async Task An_app_calling_a_service_by_name_reaches_its_pod_through_both_proxies_over_mtls_with_destination_labels()
    {
        var path = "/orders/" + Guid.NewGuid().ToString("N");

        Assert.Equal($"web:8080 GET {path}", await NetnsMesh.CurlAsync(mesh.Client, $"http://{mesh.WebService.Host}{path}"));

        await NetnsMesh.Eventually(mesh.Client, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "outbound"),
            (LabelNames.DstService, "web"), (LabelNames.DstPod, "web"), (LabelNames.DstNamespace, "default"),
            (LabelNames.TargetAddr, mesh.Web.EndPoint(8080).ToString()), (LabelNames.Classification, "success"),
            (LabelNames.Tls, LabelNames.Values.TlsTrue), (LabelNames.ServerId, NetnsMesh.Identity(mesh.Web))) >= 1, "the client's outbound response to web, over mTLS");
        await NetnsMesh.Eventually(mesh.Web, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "inbound"),
            (LabelNames.Authority, mesh.WebService.Host), (LabelNames.Classification, "success"),
            (LabelNames.Tls, LabelNames.Values.TlsTrue), (LabelNames.ClientId, NetnsMesh.Identity(mesh.Client))) >= 1, "web's inbound response, from the client's identity");
    }

    [Fact]
    public async Task Each_port_of_a_meshed_pod_reaches_its_own_listener_whatever_MESH_PROXY_APP_ADDR_says()
    {
        Assert.Equal("web:9090 GET /admin", await NetnsMesh.CurlAsync(mesh.Client, $"http://{mesh.AdminService.Host}:9090/admin"));
        Assert.Equal("web:9090 GET /direct", await NetnsMesh.CurlAsync(mesh.Client, $"http://{mesh.Web.Address}:9090/direct"));
        Assert.Equal("web:8080 GET /app", await NetnsMesh.CurlAsync(mesh.Plain, $"http://{mesh.Web.Address}:8080/app"));

        await NetnsMesh.Eventually(mesh.Web, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "inbound"),
            (LabelNames.Authority, $"{mesh.AdminService.Host}:9090"), (LabelNames.TargetAddr, "127.0.0.1:9090"), (LabelNames.Classification, "success")) >= 1,
            "web's inbound series to its app's port 9090");
    }

    [Fact]
    public async Task A_pod_without_a_proxy_reaches_a_meshed_pod_through_its_service_in_plaintext()
    {
        Assert.Equal("web:8080 GET /from-plain", await NetnsMesh.CurlAsync(mesh.Plain, $"http://{mesh.WebService.Host}/from-plain"));

        await NetnsMesh.Eventually(mesh.Web, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "inbound"),
            (LabelNames.Authority, mesh.WebService.Host), (LabelNames.Classification, "success"),
            (LabelNames.Tls, LabelNames.Values.TlsNoIdentity), (LabelNames.NoTlsReason, LabelNames.Values.NoTlsFromRemote)) >= 1, "web's inbound response, plaintext");
    }

    [Fact]
    public async Task A_pod_address_names_that_pod_and_an_address_discovery_does_not_know_is_reached_unchanged_without_destination_labels()
    {
        Assert.Equal("web:8080 GET /by-ip", await NetnsMesh.CurlAsync(mesh.Client, $"http://{mesh.Web.Address}:8080/by-ip"));
        Assert.Equal("plain:8080 GET /unknown", await NetnsMesh.CurlAsync(mesh.Client, $"http://{mesh.Plain.Address}:8080/unknown"));

        var plain = mesh.Plain.EndPoint(8080).ToString();
        await NetnsMesh.Eventually(mesh.Client, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "outbound"),
            (LabelNames.DstPod, "web"), (LabelNames.DstService, ""), (LabelNames.TargetAddr, mesh.Web.EndPoint(8080).ToString())) >= 1 &&
            metrics.Series(MetricNames.ResponseTotal, (LabelNames.Direction, "outbound"), (LabelNames.TargetAddr, plain))
                .Any(s => s.Labels[LabelNames.DstPod] == "" && s.Labels[LabelNames.DstService] == "" && s.Labels[LabelNames.Authority] == plain),
            "the client's outbound series to web's pod address and to plain");
    }

    [Fact]
    public async Task A_caller_from_outside_cannot_reach_the_proxys_outbound_port_through_the_redirect()
    {
        var result = await mesh.Plain.ExecAsync(["curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
            "-H", $"Host: {mesh.WebService.Host}", $"http://{mesh.Client.Address}:4140/relay"]);

        Assert.Equal("403", result.StandardOutput);
        await NetnsMesh.Eventually(mesh.Client, metrics => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "inbound"),
            (LabelNames.TargetAddr, "127.0.0.1:4140"), (LabelNames.StatusCode, "403"), (LabelNames.Tls, LabelNames.Values.TlsNoIdentity)) >= 1,
            "the refused request in the client's inbound series");
    }
}
