using System.Globalization;
using System.Text;
using System.Text.Json;
using Dashboard.Export;
using Dashboard.Model;

namespace Dashboard.Graph;

/// <summary>A graph node as <c>/export/graph.json</c> writes it. <see cref="Namespace"/> is empty for the unmeshed clients, as in table exports.</summary>
public sealed record GraphNodeJson(string Id, string Kind, string Namespace, string Name, bool Meshed, bool? Idle, double? Rps, double? SuccessRate, double? P95Ms);

/// <summary>A graph edge as <c>/export/graph.json</c> writes it: <see cref="Tls"/> is <c>true</c>, <c>mixed</c> or <c>false</c>.</summary>
public sealed record GraphEdgeJson(
    string Source, string Target, double Rps, double? SuccessRate, double? P95Ms, string Tls, string? NoTlsReason, double? TcpBytesPerSecond, bool? Idle);

/// <summary>The whole of <c>/export/graph.json</c>.</summary>
public sealed record GraphJson(string Window, IReadOnlyList<GraphNodeJson> Nodes, IReadOnlyList<GraphEdgeJson> Edges);

/// <summary>
/// The service graph as a contract for scripts: JSON (<see cref="GraphJson"/>, camel case, nulls left out) and Graphviz
/// DOT, one cluster per namespace, edges labelled and coloured as the page draws them.
/// </summary>
public static class GraphExport
{
    public static GraphJson ToJson(ServiceGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new GraphJson(
            graph.Window.ToString(),
            [.. graph.Nodes.Select(n => new GraphNodeJson(n.Id, n.Kind, n.Namespace, n.Name, n.Meshed, n.Idle ? true : null,
                Round(n.Inbound?.Rps), Round(n.Inbound?.SuccessRate, 4), Round(n.Inbound?.P95Ms)))],
            [.. graph.Edges.Select(e => new GraphEdgeJson(e.Source, e.Target, Round(e.Counts.Rps) ?? 0, Round(e.Counts.SuccessRate, 4), Round(e.Counts.P95Ms),
                GraphEdge.TlsName(e.Tls), e.NoTlsReason, Round(e.TcpBytesPerSecond), GraphBuilder.IsIdle(e) ? true : null))]);
    }

    public static string Json(ServiceGraph graph) => JsonSerializer.Serialize(ToJson(graph), ExportJson.Options);

    /// <summary>
    /// Graphviz DOT: <c>dot -Tsvg</c> draws it left to right, each namespace in a box, the unmeshed clients outside them;
    /// an edge's label holds its RPS, success rate and P95, its colour the tables' success colour, plaintext edges dashed.
    /// </summary>
    public static string Dot(ServiceGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var dot = new StringBuilder();
        dot.Append("digraph mesh {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"sans-serif\"];\n  edge [fontname=\"sans-serif\", fontsize=10];\n");
        foreach (var ns in graph.Nodes.Where(n => n.Resource is not null).GroupBy(n => n.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            dot.Append(CultureInfo.InvariantCulture, $"  subgraph {Quote("cluster_" + ns.Key)} {{\n    label={Quote(ns.Key)};\n");
            foreach (var node in ns)
            {
                dot.Append(CultureInfo.InvariantCulture, $"    {Quote(node.Id)} [label={Quote(node.Name)}{(node.Meshed ? "" : ", style=\"rounded,dashed\"")}];\n");
            }

            dot.Append("  }\n");
        }

        if (graph.Node(GraphNode.UnmeshedId) is { } unmeshed)
        {
            dot.Append(CultureInfo.InvariantCulture, $"  {Quote(unmeshed.Id)} [label={Quote(unmeshed.Name)}, shape=ellipse, style=dashed];\n");
        }

        foreach (var edge in graph.Edges)
        {
            var label = edge.TcpOnly
                ? $"TCP {StatFormat.BytesPerSecond(edge.TcpBytesPerSecond)}"
                : $"{StatFormat.Rps(edge.Counts.Rps)}\n{StatFormat.SuccessRate(edge.Counts.SuccessRate)}\nP95 {StatFormat.Latency(edge.Counts.P95Ms)}";
            var style = edge.Tls == GraphTls.True ? "solid" : "dashed";
            dot.Append(CultureInfo.InvariantCulture,
                $"  {Quote(edge.Source)} -> {Quote(edge.Target)} [label={Quote(label)}, color={Quote(Colour(StatFormat.HealthOf(edge.Counts.SuccessRate)))}, style={style}];\n");
        }

        return dot.Append("}\n").ToString();
    }

    /// <summary>The file name a download of <paramref name="graph"/> gets: <c>graph-shop-1m.json</c>, <c>graph-all-1m.dot</c>.</summary>
    public static string FileName(IReadOnlyList<string>? namespaces, StatWindow window, string format) =>
        $"graph-{(namespaces is { Count: > 0 } ns ? string.Join("+", ns) : "all")}-{window}.{format}";

    private static string Colour(Health health) => health switch
    {
        Health.Good => "#2e7d32",
        Health.Warn => "#ef6c00",
        Health.Bad => "#c62828",
        _ => "#9e9e9e",
    };

    // A DOT string: quoted, with quotes and backslashes escaped and newlines as DOT's centred line breaks.
    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static double? Round(double? value, int digits = 3) => value is { } v && double.IsFinite(v) ? Math.Round(v, digits) : null;
}
