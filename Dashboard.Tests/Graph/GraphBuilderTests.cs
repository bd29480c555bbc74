using Dashboard.Graph;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Tests.Graph;

/// <summary>The service graph from its three queries' answers: nodes, edges, the unmeshed clients, TLS, TCP-only and idle parts.</summary>
public sealed class GraphBuilderTests
{
    private static readonly StatWindow Window = StatWindow.Parse("1m");
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static PromSample Sample(double value, params (string Name, string Value)[] labels) =>
        new(labels.ToDictionary(l => l.Name, l => l.Value), value);

    // An outbound count of caller → destination (deployments), as GraphCounts answers it.
    private static PromSample Out(string from, string to, string classification, double count, string tls = "true", string? reason = null) =>
        Sample(count, [("direction", "outbound"), ("namespace", from.Split('/')[0]), ("deployment", from.Split('/')[1]),
            ("dst_namespace", to.Split('/')[0]), ("dst_deployment", to.Split('/')[1]), ("tls", tls), ("classification", classification),
            .. reason is null ? Array.Empty<(string, string)>() : [("no_tls_reason", reason)]]);

    // What a destination received without a client identity.
    private static PromSample In(string to, string classification, double count, string tls = "no_identity", string reason = "no_tls_from_remote") =>
        Sample(count, ("direction", "inbound"), ("namespace", to.Split('/')[0]), ("deployment", to.Split('/')[1]), ("tls", tls),
            ("no_tls_reason", reason), ("classification", classification));

    private static PromSample OutBucket(string from, string to, string le, double rate) =>
        Sample(rate, ("direction", "outbound"), ("namespace", from.Split('/')[0]), ("deployment", from.Split('/')[1]),
            ("dst_namespace", to.Split('/')[0]), ("dst_deployment", to.Split('/')[1]), ("le", le));

    private static PromSample InBucket(string to, string le, double rate) =>
        Sample(rate, ("direction", "inbound"), ("namespace", to.Split('/')[0]), ("deployment", to.Split('/')[1]), ("le", le));

    private static PromSample Tcp(string from, string to, double bytes, string tls = "true") =>
        Sample(bytes, ("namespace", from.Split('/')[0]), ("deployment", from.Split('/')[1]),
            ("dst_namespace", to.Split('/')[0]), ("dst_deployment", to.Split('/')[1]), ("tls", tls));

    private static ServiceGraph Build(IReadOnlyList<PromSample> counts, IReadOnlyList<PromSample>? buckets = null, IReadOnlyList<PromSample>? tcp = null,
        InventorySnapshot? inventory = null, bool pods = false) =>
        GraphBuilder.Build(pods, Window, At, counts, buckets ?? [], tcp ?? [], inventory);

    [Fact]
    public void Edges_carry_the_callers_counts_rps_success_and_p95_and_nodes_sum_their_incoming_edges()
    {
        var graph = Build(
            [Out("shop/web", "shop/api", "success", 114), Out("shop/web", "shop/api", "failure", 6), Out("shop/api", "shop/db", "success", 60)],
            [OutBucket("shop/web", "shop/api", "10", 1), OutBucket("shop/web", "shop/api", "100", 2), OutBucket("shop/web", "shop/api", "+Inf", 2),
             OutBucket("shop/api", "shop/db", "10", 1), OutBucket("shop/api", "shop/db", "+Inf", 1)]);

        Assert.Equal(["shop/deployment/api", "shop/deployment/db", "shop/deployment/web"], graph.Nodes.Select(n => n.Id));
        var webToApi = Assert.Single(graph.Edges, e => e.Id == "shop/deployment/web->shop/deployment/api");
        Assert.Equal((2.0, 0.95, GraphTls.True), (webToApi.Counts.Rps!.Value, webToApi.Counts.SuccessRate!.Value, webToApi.Tls));
        Assert.InRange(webToApi.Counts.P95Ms!.Value, 90, 100); // the 95th of 2/s: in the 10–100 bucket, near its top
        Assert.Null(webToApi.NoTlsReason);
        var api = graph.Node("shop/deployment/api")!;
        Assert.Equal((2.0, 0.95, true, false), (api.Inbound!.Rps!.Value, api.Inbound.SuccessRate!.Value, api.Meshed, api.Idle));
        Assert.Null(graph.Node("shop/deployment/web")!.Inbound); // nothing calls it
        Assert.Null(graph.Node(GraphNode.UnmeshedId));
    }

    [Fact]
    public void What_a_destination_received_without_an_identity_less_its_meshed_callers_plaintext_is_the_unmeshed_clients_edge()
    {
        var graph = Build(
            [
                Out("default/test-1", "default/ml", "success", 60, tls: "no_identity", reason: "not_provided_by_service_discovery"),
                In("default/ml", "success", 60), // all of it from test-1: no unmeshed clients
                In("default/test-2", "success", 170), In("default/test-2", "failure", 10),
            ],
            [InBucket("default/test-2", "10", 2), InBucket("default/test-2", "+Inf", 3)]);

        var unmeshed = Assert.Single(graph.Edges, e => e.Source == GraphNode.UnmeshedId);
        Assert.Equal("default/deployment/test-2", unmeshed.Target);
        Assert.Equal((3.0, 170 / 180.0, GraphTls.False, "no_tls_from_remote"), (unmeshed.Counts.Rps!.Value, unmeshed.Counts.SuccessRate!.Value, unmeshed.Tls, unmeshed.NoTlsReason));
        Assert.NotNull(unmeshed.Counts.P95Ms);
        var fromTest1 = Assert.Single(graph.Edges, e => e.Source == "default/deployment/test-1");
        Assert.Equal((GraphTls.False, "not_provided_by_service_discovery"), (fromTest1.Tls, fromTest1.NoTlsReason));
        Assert.Equal(GraphNode.UnmeshedId, graph.Nodes[0].Id);
        Assert.Equal(("unmeshed", "", "unmeshed clients", false), (graph.Nodes[0].Kind, graph.Nodes[0].Namespace, graph.Nodes[0].Name, graph.Nodes[0].Meshed));
        // The destinations have proxies of their own (their inbound series), though no inventory says so.
        Assert.True(graph.Node("default/deployment/test-2")!.Meshed);
    }

    [Fact]
    public void Partly_secured_edges_are_mixed_and_tcp_only_edges_carry_bytes_without_requests()
    {
        var graph = Build(
            [Out("pay/gateway", "pay/pricing", "success", 30), Out("pay/gateway", "pay/pricing", "success", 30, tls: "no_identity", reason: "no_tls_from_remote")],
            tcp: [Tcp("pay/gateway", "pay/pricing", 5000), Tcp("pay/ledger", "pay/postgres", 2048)]);

        var mixed = graph.Edges.Single(e => e.Target == "pay/deployment/pricing");
        Assert.Equal((GraphTls.Mixed, "no_tls_from_remote", false, 5000.0), (mixed.Tls, mixed.NoTlsReason, mixed.TcpOnly, mixed.TcpBytesPerSecond!.Value));
        var opaque = graph.Edges.Single(e => e.Target == "pay/deployment/postgres");
        Assert.Equal((true, GraphTls.True, (double?)null), (opaque.TcpOnly, opaque.Tls, opaque.Counts.Rps));
        Assert.False(GraphBuilder.IsIdle(opaque));
    }

    [Fact]
    public void Idle_edges_and_the_inventorys_quiet_meshed_workloads_are_kept_and_shown_only_when_asked_for()
    {
        var inventory = InventorySnapshotBuilder.Build(1, ["shop"],
            [Workload("web"), Workload("api"), Workload("batch"), Workload("legacy")],
            new Dictionary<(string, string), ReplicaSetRecord>(),
            [Pod("web-0", "web", meshed: true), Pod("api-0", "api", meshed: true), Pod("batch-0", "batch", meshed: true), Pod("legacy-0", "legacy", meshed: false)]);
        var graph = Build([Out("shop/web", "shop/api", "success", 60), Out("shop/batch", "shop/api", "success", 0)], inventory: inventory);

        Assert.True(graph.Node("shop/deployment/batch")!.Idle);
        Assert.Null(graph.Node("shop/deployment/legacy")); // not meshed, and nothing measured it
        var shown = GraphBuilder.Filter(graph, new GraphRequest(null, Window));
        Assert.Equal(["shop/deployment/api", "shop/deployment/web"], shown.Nodes.Select(n => n.Id));
        Assert.Single(shown.Edges);
        var all = GraphBuilder.Filter(graph, new GraphRequest(null, Window, Idle: true));
        Assert.Equal(["shop/deployment/api", "shop/deployment/batch", "shop/deployment/web"], all.Nodes.Select(n => n.Id));
        Assert.Equal(2, all.Edges.Count);
    }

    [Fact]
    public void A_namespace_shows_its_nodes_and_every_edge_touching_them_with_the_nodes_at_the_other_end()
    {
        var graph = Build(
            [Out("shop/web", "shop/api", "success", 60), Out("shop/api", "pay/gateway", "success", 30), Out("pay/gateway", "pay/pricing", "success", 30),
             In("shop/web", "success", 120)]);

        var pay = GraphBuilder.Filter(graph, new GraphRequest(["pay"], Window));
        Assert.Equal(["pay/deployment/gateway", "pay/deployment/pricing", "shop/deployment/api"], pay.Nodes.Select(n => n.Id));
        Assert.Equal(2, pay.Edges.Count);
        var shop = GraphBuilder.Filter(graph, new GraphRequest(["shop"], Window));
        Assert.Equal([GraphNode.UnmeshedId, "pay/deployment/gateway", "shop/deployment/api", "shop/deployment/web"], shop.Nodes.Select(n => n.Id));
    }

    [Fact]
    public void By_pod_the_nodes_are_pods_named_by_the_pod_and_dst_pod_labels()
    {
        var graph = Build(
            [Sample(60, ("direction", "outbound"), ("namespace", "shop"), ("deployment", "web"), ("pod", "web-0"),
                ("dst_namespace", "shop"), ("dst_deployment", "api"), ("dst_pod", "api-1"), ("tls", "true"), ("classification", "success")),
             Sample(30, ("direction", "inbound"), ("namespace", "shop"), ("deployment", "web"), ("pod", "web-0"), ("tls", "no_identity"), ("classification", "success"))],
            pods: true);

        Assert.Equal([GraphNode.UnmeshedId, "shop/pod/api-1", "shop/pod/web-0"], graph.Nodes.Select(n => n.Id));
        Assert.Equal("pod", graph.Node("shop/pod/web-0")!.Kind);
        Assert.Equal(2, graph.Edges.Count);
    }

    [Fact]
    public void Series_without_both_ends_and_non_numbers_are_skipped()
    {
        var graph = Build(
            [
                Sample(10, ("direction", "outbound"), ("namespace", "shop"), ("deployment", "web"), ("classification", "success"), ("tls", "true")), // no destination
                Sample(double.NaN, ("direction", "outbound"), ("namespace", "shop"), ("deployment", "web"), ("dst_namespace", "shop"), ("dst_deployment", "api"), ("classification", "success")),
                Sample(10, ("direction", "outbound"), ("namespace", "shop"), ("dst_namespace", "shop"), ("dst_deployment", "api"), ("classification", "success")), // a bare pod's
            ]);

        Assert.Empty(graph.Edges);
        Assert.Empty(graph.Nodes);
    }

    private static WorkloadRecord Workload(string name) => new(new WorkloadRef(WorkloadKinds.Deployment, "shop", name), new Dictionary<string, string>());

    private static PodRecord Pod(string name, string deployment, bool meshed) =>
        new("shop", name, PodInfo.RunningPhase, true, meshed, WorkloadKinds.Deployment, deployment, "198.18.0.1", new Dictionary<string, string>());
}
