using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Graph;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Proxy.Fleet;
using Dashboard.Proxy.Fleet.Manifest;
using Dashboard.Tests.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Graph;

/// <summary>The demo fleet (<c>docker/fleet/demo.yaml</c>), a real Prometheus, and a dashboard process for the export.</summary>
public sealed class GraphFleetFixture : FleetFixture
{
    private Task<DashboardProcess>? _dashboard;

    protected override byte IpOctet => 50;

    public static FleetManifest Demo { get; } = FleetManifestLoader.Load(Path.Combine(RepoPaths.Root, "docker/fleet/demo.yaml"));

    protected override FleetManifest FleetManifest => Demo;

    public Task<DashboardProcess> DashboardAsync() => _dashboard ??= DashboardProcess.StartAsync(new Dictionary<string, string>
    {
        ["Prometheus:Url"] = Prometheus.Url.ToString(),
        ["Prometheus:ScrapeInterval"] = "1s",
        ["Kubernetes:Url"] = Api.ToString(),
    });

    /// <summary>Waits until Prometheus holds a full <paramref name="seconds"/> window of scrapes of every meshed pod.</summary>
    public Task WaitForWindowAsync(int seconds) => TestTimeouts.Eventually(async () => await Prometheus.ValueAsync(
        $$"""min(count_over_time(response_total{direction="inbound"}[{{seconds * 2}}s]))""") >= seconds + 4,
        $"a full {seconds}s window of scrapes", TimeSpan.FromSeconds(seconds + 60));

    public override async ValueTask DisposeAsync()
    {
        if (_dashboard is { IsCompletedSuccessfully: true })
        {
            await (await _dashboard).DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

/// <summary>
/// The service graph of the demo fleet against what its manifest implies and its ground truth: exactly the edges its
/// traffic and calls make (the unmeshed clients' included, the unmeshed deployment's invisible ones not), each at the
/// truth's requests per second, mTLS between meshed workloads; and the same graph through the export.
/// </summary>
public sealed class GraphFleetTests(GraphFleetFixture fixture) : IClassFixture<GraphFleetFixture>, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TestTimeouts.Default };

    [Fact]
    public async Task The_demo_graph_has_exactly_the_implied_edges_at_the_truths_rps_with_locks_between_meshed_workloads()
    {
        var window = StatWindow.Parse("30s");
        await fixture.WaitForWindowAsync(30);
        using var inventory = new KubernetesInventory(KubernetesSource.FromUrl(fixture.Api), NullLogger<KubernetesInventory>.Instance);
        await inventory.StartAsync(TestTimeouts.Token).Within();
        try
        {
            await inventory.WaitForSyncAsync(TestTimeouts.Token).Within();
            var prometheus = new PrometheusClient(_http, fixture.Prometheus.Url);
            var metrics = new MetricsService(prometheus, new QueryCache(TimeProvider.System, TimeSpan.FromSeconds(30)));
            var graphs = new GraphService(metrics, inventory, TimeProvider.System, NullLogger<GraphService>.Instance);

            var graph = await graphs.GetAsync(new GraphRequest(null, window), TestTimeouts.Token).Within();
            var truth = await _http.GetFromJsonAsync<TruthReport>(new Uri(fixture.Api, "/fleet/truth?window=30s"), TestTimeouts.Token).Within();
            var again = await graphs.GetAsync(new GraphRequest(["shop"], window), TestTimeouts.Token).Within();

            var implied = Implied(GraphFleetFixture.Demo);
            Assert.Equal(implied.Order(), graph.Edges.Select(e => (e.Source, e.Target)).Order());
            foreach (var edge in graph.Edges)
            {
                // Each destination of the demo has one caller: the edge carries all it served.
                var target = graph.Node(edge.Target)!;
                var served = truth!.Deployments.Single(d => d.Namespace == target.Namespace && d.Deployment == target.Name);
                Assert.InRange(edge.Counts.Rps!.Value, served.Rps * 0.9, served.Rps * 1.1);
                Assert.InRange(edge.Counts.SuccessRate!.Value, served.SuccessRate!.Value - 0.03, served.SuccessRate.Value + 0.03);
                Assert.NotNull(edge.Counts.P95Ms);
                Assert.Equal(edge.Source == GraphNode.UnmeshedId ? GraphTls.False : GraphTls.True, edge.Tls);
                // The callers' connections are counted too (the unmeshed clients' by no proxy of theirs).
                Assert.Equal(edge.Source != GraphNode.UnmeshedId, edge.TcpBytesPerSecond > 0);
                Assert.False(edge.TcpOnly);
            }

            Assert.Equal("no_tls_from_remote", graph.Edges.First(e => e.Source == GraphNode.UnmeshedId).NoTlsReason);
            Assert.False(graph.Node(GraphNode.UnmeshedId)!.Meshed);
            Assert.All(graph.Nodes.Where(n => n.Resource is not null), n => Assert.True(n.Meshed, n.Id));
            // The unmeshed deployment is called only from outside the mesh: nothing measures it, so it is no node.
            Assert.Null(graph.Node("default/deployment/legacy"));
            Assert.Equal(GraphService.QueriesPerGraph, prometheus.QueriesSent);

            // Another viewer's namespaces come from the same answers: no query more.
            Assert.Equal(["shop/deployment/api", "shop/deployment/db", "shop/deployment/web", GraphNode.UnmeshedId], again.Nodes.Select(n => n.Id).Order(StringComparer.Ordinal));
            Assert.Equal(GraphService.QueriesPerGraph, prometheus.QueriesSent);
        }
        finally
        {
            await inventory.StopAsync(CancellationToken.None).Within();
        }
    }

    [Fact]
    public async Task The_export_writes_the_graph_as_json_and_dot_and_refuses_a_bad_namespace_naming_it()
    {
        await fixture.WaitForWindowAsync(10);
        var dashboard = await fixture.DashboardAsync().Within(TestTimeouts.Slow);

        var json = await _http.GetFromJsonAsync<JsonElement>(new Uri(dashboard.Url, "/export/graph.json?namespace=shop&window=10s"), TestTimeouts.Token).Within();
        var dot = await _http.GetStringAsync(new Uri(dashboard.Url, "/export/graph.dot?namespace=shop&window=10s"), TestTimeouts.Token).Within();
        using var bad = await _http.GetAsync(new Uri(dashboard.Url, "/export/graph.json?namespace=Shop!"), TestTimeouts.Token).Within();

        Assert.Equal("10s", json.GetProperty("window").GetString());
        var web = json.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "shop/deployment/web");
        Assert.Equal(("deployment", "shop", "web", true), (web.GetProperty("kind").GetString(), web.GetProperty("namespace").GetString(),
            web.GetProperty("name").GetString(), web.GetProperty("meshed").GetBoolean()));
        var unmeshed = json.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == GraphNode.UnmeshedId);
        Assert.Equal(("unmeshed", false), (unmeshed.GetProperty("kind").GetString(), unmeshed.GetProperty("meshed").GetBoolean()));
        var toApi = json.GetProperty("edges").EnumerateArray().Single(e => e.GetProperty("source").GetString() == "shop/deployment/web"
            && e.GetProperty("target").GetString() == "shop/deployment/api");
        Assert.Equal("true", toApi.GetProperty("tls").GetString());
        Assert.InRange(toApi.GetProperty("rps").GetDouble(), 3, 7);
        Assert.InRange(toApi.GetProperty("successRate").GetDouble(), 0.8, 1);
        Assert.True(toApi.GetProperty("p95Ms").GetDouble() > 0);

        Assert.StartsWith("digraph mesh {", dot, StringComparison.Ordinal);
        Assert.Contains("subgraph \"cluster_shop\"", dot, StringComparison.Ordinal);
        Assert.Contains("\"shop/deployment/web\" -> \"shop/deployment/api\" [label=\"", dot, StringComparison.Ordinal);
        Assert.Contains("\"unmeshed\" -> \"shop/deployment/web\"", dot, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("namespace 'Shop!' is not a namespace name", await bad.Content.ReadAsStringAsync(TestTimeouts.Token), StringComparison.Ordinal);
    }

    /// <summary>
    /// The edges a manifest's traffic and calls make, as the mesh can see them: from each traffic source (the unmeshed
    /// clients for external ones) to its service, and from each deployment to the services its reached routes call. An
    /// edge from outside the mesh to an unmeshed deployment has no proxy at either end, so no metric shows it.
    /// </summary>
    private static List<(string Source, string Target)> Implied(FleetManifest manifest)
    {
        var deployments = manifest.Namespaces.SelectMany(ns => ns.Deployments.Select(d => (Ns: ns.Name, Deployment: d)))
            .ToDictionary(d => (d.Ns, d.Deployment.Name), d => d.Deployment);
        string Id(string ns, string name) => GraphNode.IdOf(new ResourceKey(WorkloadKind.Deployment, ns, name));
        (string Ns, string Name) Service(string service, string ns) => service.Split('.') is [var name, var other] ? (other, name) : (ns, service);

        var edges = new HashSet<(string, string)>();
        var reached = new Queue<(string Ns, string Name, string Method, string Path)>();
        foreach (var traffic in manifest.Traffic)
        {
            var (ns, name) = Service(traffic.To, "default");
            var external = traffic.From == TrafficSpec.External;
            if (external && !deployments[(ns, name)].Meshed)
            {
                continue;
            }

            edges.Add((external ? GraphNode.UnmeshedId : Id(traffic.From.Split('/')[0], traffic.From.Split('/')[1]), Id(ns, name)));
            reached.Enqueue((ns, name, traffic.Method, traffic.Path));
        }

        var seen = new HashSet<(string, string, string, string)>();
        while (reached.TryDequeue(out var route))
        {
            if (!seen.Add(route))
            {
                continue;
            }

            var spec = deployments[(route.Ns, route.Name)].Routes.FirstOrDefault(r => r.Method == route.Method && r.Path == route.Path) ?? RouteSpec.Default;
            foreach (var call in spec.Calls)
            {
                var (ns, name) = Service(call.Service, route.Ns);
                edges.Add((Id(route.Ns, route.Name), Id(ns, name)));
                reached.Enqueue((ns, name, call.Method, call.Path));
            }
        }

        return [.. edges];
    }

    public void Dispose() => _http.Dispose();
}
