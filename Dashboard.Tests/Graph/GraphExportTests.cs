using System.Text.Json;
using Dashboard.Graph;
using Dashboard.Model;

namespace Dashboard.Tests.Graph;

/// <summary>The graph's export contract: JSON for scripts and Graphviz DOT.</summary>
public sealed class GraphExportTests
{
    private static readonly StatWindow Window = StatWindow.Parse("1m");

    private static ServiceGraph Sample()
    {
        var web = new ResourceKey(WorkloadKind.Deployment, "shop", "web");
        var api = new ResourceKey(WorkloadKind.Deployment, "shop", "api");
        var db = new ResourceKey(WorkloadKind.StatefulSet, "shop", "db \"primary\"");
        return new ServiceGraph(
            [
                GraphNode.Unmeshed(),
                new GraphNode(web, true, new StatCounts(240, 0, 0, 60, 5, 12, 30)),
                new GraphNode(api, true, new StatCounts(54, 6, 60, 60, 4, 20, 40)),
                new GraphNode(db, false, null) { Idle = true },
            ],
            [
                new GraphEdge(GraphNode.UnmeshedId, GraphNode.IdOf(web), new StatCounts(240, 0, 0, 60, 5, 12, 30), null) { NoTlsReason = "no_tls_from_remote" },
                new GraphEdge(GraphNode.IdOf(web), GraphNode.IdOf(api), new StatCounts(54, 6, 60, 60, 4, 20.123456, 40), 1500) { Tls = GraphTls.True },
                new GraphEdge(GraphNode.IdOf(api), GraphNode.IdOf(db), new StatCounts(0, 0, 0, 60, null, null, null), 2048) { Tls = GraphTls.True },
            ],
            Window, DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void Json_names_nodes_by_namespace_kind_and_name_and_edges_by_their_ends_with_rps_success_p95_and_tls()
    {
        using var json = JsonDocument.Parse(GraphExport.Json(Sample()));

        var root = json.RootElement;
        Assert.Equal("1m", root.GetProperty("window").GetString());
        var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["unmeshed", "shop/deployment/web", "shop/deployment/api", "shop/statefulset/db \"primary\""], nodes.Select(n => n.GetProperty("id").GetString()));
        Assert.Equal(("unmeshed", "", "unmeshed clients", false), (nodes[0].GetProperty("kind").GetString(), nodes[0].GetProperty("namespace").GetString(),
            nodes[0].GetProperty("name").GetString(), nodes[0].GetProperty("meshed").GetBoolean()));
        Assert.Equal(("statefulset", true), (nodes[3].GetProperty("kind").GetString(), nodes[3].GetProperty("idle").GetBoolean()));
        Assert.False(nodes[1].TryGetProperty("idle", out _));
        var edges = root.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(("shop/deployment/web", "shop/deployment/api", 1.0, 0.9, 20.123, "true"), (edges[1].GetProperty("source").GetString(), edges[1].GetProperty("target").GetString(),
            edges[1].GetProperty("rps").GetDouble(), edges[1].GetProperty("successRate").GetDouble(), edges[1].GetProperty("p95Ms").GetDouble(), edges[1].GetProperty("tls").GetString()));
        Assert.Equal(("false", "no_tls_from_remote"), (edges[0].GetProperty("tls").GetString(), edges[0].GetProperty("noTlsReason").GetString()));
        // A TCP-only edge: no requests, so no success rate or P95, and its bytes.
        Assert.Equal((0.0, false, false, 2048.0), (edges[2].GetProperty("rps").GetDouble(), edges[2].TryGetProperty("successRate", out _),
            edges[2].TryGetProperty("p95Ms", out _), edges[2].GetProperty("tcpBytesPerSecond").GetDouble()));
    }

    [Fact]
    public void Dot_boxes_each_namespace_labels_and_colours_edges_and_escapes_quotes()
    {
        var dot = GraphExport.Dot(Sample());

        Assert.Equal(
            """
            digraph mesh {
              rankdir=LR;
              node [shape=box, style=rounded, fontname="sans-serif"];
              edge [fontname="sans-serif", fontsize=10];
              subgraph "cluster_shop" {
                label="shop";
                "shop/deployment/web" [label="web"];
                "shop/deployment/api" [label="api"];
                "shop/statefulset/db \"primary\"" [label="db \"primary\"", style="rounded,dashed"];
              }
              "unmeshed" [label="unmeshed clients", shape=ellipse, style=dashed];
              "unmeshed" -> "shop/deployment/web" [label="4.0rps\n100.00%\nP95 12ms", color="#2e7d32", style=dashed];
              "shop/deployment/web" -> "shop/deployment/api" [label="1.0rps\n90.00%\nP95 20ms", color="#ef6c00", style=solid];
              "shop/deployment/api" -> "shop/statefulset/db \"primary\"" [label="TCP 2KiB/s", color="#9e9e9e", style=solid];
            }

            """.ReplaceLineEndings("\n"),
            dot);
    }

    [Theory]
    [InlineData(new[] { "shop", "pay" }, "dot", "graph-shop+pay-1m.dot")]
    [InlineData(new string[0], "json", "graph-all-1m.json")]
    public void Downloads_are_named_by_namespaces_and_window(string[] namespaces, string format, string file) =>
        Assert.Equal(file, GraphExport.FileName(namespaces, Window, format));
}
