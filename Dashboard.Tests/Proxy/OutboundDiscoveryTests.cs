using System.Net;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Proxy.Metrics;
using Dashboard.Tests.Kubernetes;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Proxy;

/// <summary>Outbound routing and dst_ labels resolved through a Kubernetes API served in the test.</summary>
public sealed class OutboundDiscoveryTests
{
    [Fact]
    public async Task Outbound_requests_are_balanced_over_the_service_pods_and_labelled_with_their_destination()
    {
        var hits = new int[2];
        await using var podA = await Upstream.StartAsync(c => { Interlocked.Increment(ref hits[0]); return c.Response.WriteAsync("a"); });
        await using var podB = await Upstream.StartAsync(c => { Interlocked.Increment(ref hits[1]); return c.Response.WriteAsync("b"); });
        var store = new KubeStore();
        AddService(store, "ml", (Pod("ml-7f9c6d5b8-aaaaa"), podA.Port), (Pod("ml-7f9c6d5b8-bbbbb"), podB.Port));
        await using var api = await KubeApiHost.StartAsync(store);
        await using var proxy = await StartProxyAsync(api);

        foreach (var host in new[] { "ml", "ml:80", "ml.default", "ml.default.svc.cluster.local:80" })
        {
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await SendAsync(proxy, host)).StatusCode);
            }
        }

        Assert.Equal([4, 4], hits);
        var metrics = await proxy.ScrapeSettledAsync();
        var pod = (string name, int port) => metrics.Sum(MetricNames.ResponseTotal, (LabelNames.Direction, "outbound"),
            (LabelNames.DstNamespace, "default"), (LabelNames.DstService, "ml"), (LabelNames.DstDeployment, "ml"),
            (LabelNames.DstPod, name), (LabelNames.TargetAddr, $"127.0.0.1:{port}"), (LabelNames.Classification, "success"));
        Assert.Equal(4, pod("ml-7f9c6d5b8-aaaaa", podA.Port));
        Assert.Equal(4, pod("ml-7f9c6d5b8-bbbbb", podB.Port));
        Assert.Equal(2, metrics.Sum(MetricNames.RequestTotal, (LabelNames.Authority, "ml.default"), (LabelNames.DstService, "ml")));
        Assert.Equal(1, metrics.Sum(MetricNames.TcpOpenTotal, (LabelNames.Direction, "outbound"), (LabelNames.Peer, "dst"), (LabelNames.DstPod, "ml-7f9c6d5b8-aaaaa")));
    }

    [Fact]
    public async Task Changes_arrive_through_the_watch_and_services_without_endpoints_answer_503()
    {
        await using var late = await Upstream.StartAsync(c => c.Response.WriteAsync("late"));
        var store = new KubeStore();
        AddService(store, "empty");
        await using var api = await KubeApiHost.StartAsync(store);
        await using var proxy = await StartProxyAsync(api);

        var empty = await SendAsync(proxy, "empty.default");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, empty.StatusCode);
        Assert.Contains("service default/empty has no ready endpoints", await empty.Content.ReadAsStringAsync(TestTimeouts.Token), StringComparison.Ordinal);

        AddService(store, "late", (Pod("late-7f9c6d5b8-ccccc"), late.Port));
        await TestTimeouts.Eventually(async () => (await SendAsync(proxy, "late")).StatusCode == HttpStatusCode.OK, "the new service to be routed");

        var metrics = await proxy.ScrapeSettledAsync();
        Assert.Equal(1, metrics.Sum(MetricNames.ResponseTotal, (LabelNames.DstService, "empty"), (LabelNames.StatusCode, "503"),
            (LabelNames.Error, "no_endpoints"), (LabelNames.Classification, "failure")));
        Assert.True(metrics.Sum(MetricNames.ResponseTotal, (LabelNames.DstPod, "late-7f9c6d5b8-ccccc"), (LabelNames.StatusCode, "200")) >= 1);
    }

    [Fact]
    public async Task Names_discovery_does_not_know_are_forwarded_by_dns_without_destination_labels()
    {
        await using var app = await Upstream.StartAsync(c => c.Response.WriteAsync("direct"));
        await using var api = await KubeApiHost.StartAsync(new KubeStore());
        await using var proxy = await StartProxyAsync(api);

        var response = await SendAsync(proxy, $"localhost:{app.Port}");

        Assert.Equal("direct", await response.Content.ReadAsStringAsync(TestTimeouts.Token));
        var metrics = await proxy.ScrapeSettledAsync();
        var series = Assert.Single(metrics.Series(MetricNames.RequestTotal, (LabelNames.Direction, "outbound")));
        Assert.Equal("", series.Labels[LabelNames.DstService]);
        Assert.Equal($"localhost:{app.Port}", series.Labels[LabelNames.TargetAddr]);
    }

    [Fact]
    public async Task Hosts_forwarded_by_dns_past_the_bound_share_one_series()
    {
        // Nothing listens on the port: each request is refused at once (502), and each Host is a DNS destination of its own.
        var port = TestPorts.Free();
        await using var proxy = await TestProxy.StartAsync("127.0.0.1:1");
        var hosts = Enumerable.Range(0, ProxyMetrics.MaxAuthorities * 3 / 2).Select(i => $"127.0.{i / 250}.{(i % 250) + 1}:{port}").ToList();

        await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestTimeouts.Token }, async (host, _) =>
        {
            using var response = await SendAsync(proxy, host);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        });

        var metrics = await proxy.ScrapeSettledAsync();
        var outbound = (LabelNames.Direction, "outbound");
        Assert.Equal(hosts.Count, metrics.Sum(MetricNames.RequestTotal, outbound));
        Assert.Equal(ProxyMetrics.MaxAuthorities + 1, metrics.Series(MetricNames.RequestTotal, outbound).Count());
        Assert.Equal(ProxyMetrics.MaxAuthorities + 1, metrics.Series(MetricNames.ResponseTotal, outbound).Count());
        // The first hosts keep their series; the later ones are counted together, without authority and target_addr.
        Assert.Equal(1, metrics.Sum(MetricNames.RequestTotal, outbound, (LabelNames.Authority, hosts[0]), (LabelNames.TargetAddr, hosts[0])));
        Assert.Equal(hosts.Count - ProxyMetrics.MaxAuthorities, metrics.Sum(MetricNames.RequestTotal, outbound, (LabelNames.Authority, ""), (LabelNames.TargetAddr, "")));
    }

    [Fact]
    public async Task The_proxy_is_not_ready_until_discovery_has_synced()
    {
        var unreachable = $"http://127.0.0.1:{TestPorts.Free()}";
        await using var proxy = await TestProxy.StartAsync("127.0.0.1:1", new Dictionary<string, string>
        {
            [ProxyEnvironment.KubernetesApi] = unreachable,
        });

        using var ready = await proxy.Admin.GetAsync("/ready", TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("discovery has not synced", await ready.Content.ReadAsStringAsync(TestTimeouts.Token), StringComparison.Ordinal);
    }

    private static async Task<TestProxy> StartProxyAsync(KubeApiHost api)
    {
        var proxy = await TestProxy.StartAsync("127.0.0.1:1", new Dictionary<string, string>
        {
            [ProxyEnvironment.KubernetesApi] = api.Url,
            [ProxyEnvironment.PodNamespace] = "default",
        });
        await TestTimeouts.Eventually(async () => (await proxy.Admin.GetAsync("/ready", TestTimeouts.Token)).IsSuccessStatusCode, "discovery to sync");
        return proxy;
    }

    internal static async Task<HttpResponseMessage> SendAsync(TestProxy proxy, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;
        return await proxy.Outbound.SendAsync(request, TestTimeouts.Token).Within();
    }

    internal static V1Pod Pod(string name) => new()
    {
        Metadata = new()
        {
            Name = name,
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { ["app"] = name.Split('-')[0], ["pod-template-hash"] = "7f9c6d5b8" },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = name.Split('-')[0] + "-7f9c6d5b8", Uid = "rs-uid" }],
        },
        Status = new() { Phase = "Running", PodIP = "127.0.0.1" },
    };

    /// <summary>A service on port 80 with one EndpointSlice per pod (each pod listens on its own port here).</summary>
    internal static void AddService(KubeStore store, string name, params (V1Pod Pod, int Port)[] pods)
    {
        store.Upsert(new V1Service
        {
            Metadata = new() { Name = name, NamespaceProperty = "default" },
            Spec = new() { Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 }], Selector = new Dictionary<string, string> { ["app"] = name } },
        });
        foreach (var (pod, port) in pods)
        {
            store.Upsert(pod);
            store.Upsert(new V1EndpointSlice
            {
                Metadata = new() { Name = pod.Metadata.Name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = name } },
                AddressType = "IPv4",
                Ports = [new Discoveryv1EndpointPort { Name = "http", Port = port }],
                Endpoints = [new V1Endpoint
                {
                    Addresses = ["127.0.0.1"],
                    Conditions = new V1EndpointConditions { Ready = true },
                    TargetRef = new V1ObjectReference { Kind = "Pod", Name = pod.Metadata.Name, NamespaceProperty = "default" },
                }],
            });
        }
    }
}
