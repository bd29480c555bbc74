using Dashboard.Graph;

namespace Dashboard.Model;

/// <summary>A node as js/graph.js draws it: a workload (or pod) in its namespace's box, or the unmeshed clients outside any.</summary>
/// <param name="Parent">The id of its namespace's box (<see cref="GraphView.BoxId"/>); null for the unmeshed clients.</param>
/// <param name="Health">The colour of its inbound success rate: <c>good</c>, <c>warn</c>, <c>bad</c> or <c>none</c>.</param>
/// <param name="Found">Whether the find expression matches it.</param>
public sealed record GraphViewNode(string Id, string Label, string? Parent, string Kind, bool Meshed, bool Idle, string Health, bool Found);

/// <summary>An edge as js/graph.js draws it: label, colour, width and lock worked out here, so the script only draws.</summary>
/// <param name="Label">The numbers the page's labels ask for, then, when not all mTLS, why (one per line).</param>
/// <param name="Width">Line width in pixels: by RPS on a log scale (TCP only: thin), clamped.</param>
/// <param name="Tls"><c>true</c>, <c>mixed</c> or <c>false</c> (<see cref="GraphEdge.TlsName"/>).</param>
/// <param name="Tcp">Whether it carried TCP only: dashed, labelled with bytes per second.</param>
public sealed record GraphViewEdge(string Id, string Source, string Target, string Label, string Health, double Width, string Tls, bool Tcp, bool Found);

/// <summary>
/// What the graph page sends its script: the elements the hide expression leaves, the ids it hid (the script keeps
/// those it has drawn in place, only invisible, so that they come back where they were) and the namespaces' boxes.
/// The find and hide expressions are judged here (<see cref="GraphFind"/>), never in the browser.
/// </summary>
public sealed record GraphView(IReadOnlyList<string> Namespaces, IReadOnlyList<GraphViewNode> Nodes, IReadOnlyList<GraphViewEdge> Edges, IReadOnlyList<string> Hidden)
{
    public const double MinWidth = 1;
    public const double MaxWidth = 8;

    public static GraphView Empty { get; } = new([], [], [], []);

    /// <summary>The id of the box of namespace <paramref name="ns"/>; no node id has the prefix (they have a namespace, then a slash).</summary>
    public static string BoxId(string ns) => $"namespace:{ns}";

    /// <summary>1 px at 0 RPS, 3 px at 10, 5 px at 100: a busy edge stands out, a trickle stays visible.</summary>
    public static double WidthOf(double? rps) => Math.Clamp(MinWidth + (2 * Math.Log10(1 + (rps ?? 0))), MinWidth, MaxWidth);

    public static GraphView Of(ServiceGraph graph, GraphFind? find, GraphFind? hide, EdgeLabels labels)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var nodes = graph.Nodes.ToDictionary(n => n.Id);
        var hidden = new HashSet<string>(graph.Nodes.Where(n => hide?.Matches(n.Subject) == true).Select(n => n.Id), StringComparer.Ordinal);
        var edges = new List<GraphViewEdge>();
        foreach (var edge in graph.Edges)
        {
            if (!nodes.TryGetValue(edge.Source, out _) || !nodes.TryGetValue(edge.Target, out var target))
            {
                continue;
            }

            var subject = edge.Subject(target);
            if (hidden.Contains(edge.Source) || hidden.Contains(edge.Target) || hide?.Matches(subject) == true)
            {
                hidden.Add(edge.Id);
                continue;
            }

            edges.Add(new GraphViewEdge(edge.Id, edge.Source, edge.Target, EdgeLabel(edge, labels), HealthName(edge.Counts.SuccessRate),
                edge.TcpOnly ? MinWidth + 0.5 : WidthOf(edge.Counts.Rps), GraphEdge.TlsName(edge.Tls), edge.TcpOnly, find?.Matches(subject) == true));
        }

        var shown = graph.Nodes.Where(n => !hidden.Contains(n.Id))
            .Select(n => new GraphViewNode(n.Id, n.Name, n.Resource is null ? null : BoxId(n.Namespace), n.Kind, n.Meshed, n.Idle,
                HealthName(n.Inbound?.SuccessRate), find?.Matches(n.Subject) == true))
            .ToList();
        return new GraphView(
            [.. shown.Where(n => n.Parent is not null).Select(n => nodes[n.Id].Namespace).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            shown, edges, [.. hidden.Order(StringComparer.Ordinal)]);
    }

    /// <summary>The first line of an edge's label: the numbers asked for, TCP's bytes per second instead when it carried no requests.</summary>
    public static string NumbersOf(GraphEdge edge, EdgeLabels labels)
    {
        ArgumentNullException.ThrowIfNull(edge);
        if (edge.TcpOnly)
        {
            return $"TCP {StatFormat.BytesPerSecond(edge.TcpBytesPerSecond)}";
        }

        var parts = new List<string>(3);
        if (labels.HasFlag(EdgeLabels.Rps))
        {
            parts.Add(StatFormat.Rps(edge.Counts.Rps));
        }

        if (labels.HasFlag(EdgeLabels.SuccessRate))
        {
            parts.Add(StatFormat.SuccessRate(edge.Counts.SuccessRate));
        }

        if (labels.HasFlag(EdgeLabels.P95))
        {
            parts.Add($"P95 {StatFormat.Latency(edge.Counts.P95Ms)}");
        }

        return string.Join(" · ", parts);
    }

    /// <summary>How an edge's requests were secured, in words: null when all went over mTLS (its lock says so).</summary>
    public static string? TlsText(GraphEdge edge)
    {
        ArgumentNullException.ThrowIfNull(edge);
        return edge.Tls switch
        {
            GraphTls.True => null,
            GraphTls.Mixed => edge.NoTlsReason is { } why ? $"mixed mTLS ({why})" : "mixed mTLS",
            _ => $"no mTLS: {edge.NoTlsReason ?? "plaintext"}",
        };
    }

    private static string EdgeLabel(GraphEdge edge, EdgeLabels labels) =>
        string.Join('\n', new[] { NumbersOf(edge, labels), TlsText(edge) }.Where(line => !string.IsNullOrEmpty(line)));

    private static string HealthName(double? successRate) => StatFormat.HealthOf(successRate).CssName();
}
