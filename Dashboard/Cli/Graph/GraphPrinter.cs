using Dashboard.Graph;
using Dashboard.Model;

namespace Dashboard.Cli.Graph;

/// <summary>What <c>dashboard graph</c> prints: one row per edge, busiest first, as <c>-o json</c> and <c>-o dot</c> the export's own text.</summary>
internal static class GraphPrinter
{
    public static async Task WriteAsync(CliContext context, GraphRequest request, ServiceGraph graph)
    {
        switch (context.Output)
        {
            case OutputFormat.Json:
                await context.Console.Out.WriteLineAsync(GraphExport.Json(graph)).ConfigureAwait(false);
                return;
            case OutputFormat.Dot:
                await context.Console.Out.WriteAsync(GraphExport.Dot(graph)).ConfigureAwait(false);
                return;
        }

        if (graph.Edges.Count == 0)
        {
            var where = request.Namespaces is { Count: > 0 } ns ? $" touching namespace {string.Join(", ", ns)}" : "";
            await context.Console.Error.WriteLineAsync($"No traffic{where} in the last {request.Window}.").ConfigureAwait(false);
            return;
        }

        var wide = context.Output == OutputFormat.Wide;
        var table = new TextTable(
            wide ? ["SRC", "DST", "SRC_NS", "DST_NS", "RPS", "SUCCESS", "P50", "P95", "P99", "TCP", "TLS"] : ["SRC", "DST", "SRC_NS", "DST_NS", "RPS", "SUCCESS", "P95", "TLS"],
            leftAligned: 4, leftAlignedAtEnd: 1);
        var nodes = graph.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        foreach (var edge in graph.Edges.OrderByDescending(e => e.Counts.Total).ThenBy(e => e.Id, StringComparer.Ordinal))
        {
            var (source, target) = (nodes[edge.Source], nodes[edge.Target]);
            var counts = edge.Counts;
            var tls = edge.Tls == GraphTls.True ? "true" : $"{GraphEdge.TlsName(edge.Tls)} ({edge.NoTlsReason ?? "-"})";
            table.Add(wide
                ? [Name(source), Name(target), Ns(source), Ns(target), StatFormat.Rps(counts.Rps), StatFormat.SuccessRate(counts.SuccessRate),
                    StatFormat.Latency(counts.P50Ms), StatFormat.Latency(counts.P95Ms), StatFormat.Latency(counts.P99Ms), StatFormat.BytesPerSecond(edge.TcpBytesPerSecond), tls]
                : [Name(source), Name(target), Ns(source), Ns(target), StatFormat.Rps(counts.Rps), StatFormat.SuccessRate(counts.SuccessRate),
                    StatFormat.Latency(counts.P95Ms), tls]);
        }

        await table.WriteAsync(context.Console.Out).ConfigureAwait(false);
    }

    private static string Name(GraphNode node) => node.Resource is { } r ? r.KindName : node.Name;

    private static string Ns(GraphNode node) => node.Resource is null ? "-" : node.Namespace;
}
