using Dashboard.Configuration;
using Dashboard.Graph;
using Dashboard.Metrics;
using Dashboard.Services;

namespace Dashboard.Model;

/// <summary>One neighbour of the octopus' resource: the node at the other end of an edge, and what the edge carried.</summary>
public sealed record OctopusArm(GraphNode Node, GraphEdge Edge);

/// <summary>One side of the octopus: the busiest arms, and how many more were folded away.</summary>
public sealed record OctopusSide(IReadOnlyList<OctopusArm> Shown, int More);

/// <summary>
/// A workload's neighbours in the service graph of its namespace, for the octopus of its page: who calls it, whom it
/// calls, the busiest <see cref="MaxPerSide"/> on each side (the unmeshed clients always among its callers when they
/// called it); refreshed at the dashboard's refresh interval.
/// </summary>
public sealed class OctopusViewModel(IGraphService graphs, DashboardSettings settings, TimeProvider time, PageVisibility visibility, ViewHost host)
    : LiveViewModel(settings, time, visibility, host)
{
    public const int MaxPerSide = 6;

    public ResourceKey Resource { get; set; }

    public StatWindow Window { get; set; }

    /// <summary>The resource's own node; null before the first load, or when it moved no traffic.</summary>
    public GraphNode? Node { get; private set; }

    public OctopusSide Callers { get; private set; } = new([], 0);

    public OctopusSide Destinations { get; private set; } = new([], 0);

    /// <summary>Whether a graph has been loaded.</summary>
    public bool Loaded { get; private set; }

    protected override object Key => (Resource, Window);

    protected override async Task LoadAsync(object key, CancellationToken cancellationToken)
    {
        var (resource, window) = ((ResourceKey, StatWindow))key;
        var graph = await graphs.GetAsync(new GraphRequest([resource.Namespace], window), cancellationToken);
        var id = GraphNode.IdOf(resource);
        Node = graph.Node(id);
        Callers = Side(graph, graph.Edges.Where(e => e.Target == id && e.Source != id), e => e.Source);
        Destinations = Side(graph, graph.Edges.Where(e => e.Source == id && e.Target != id), e => e.Target);
        Loaded = true;
    }

    protected override string Describe(PrometheusException failure) => $"{base.Describe(failure).TrimEnd('.')}. The callers and destinations shown are the last ones loaded.";

    /// <summary>The busiest arms first; the unmeshed clients keep a place whatever their rate.</summary>
    public static OctopusSide Side(ServiceGraph graph, IEnumerable<GraphEdge> edges, Func<GraphEdge, string> other)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var arms = edges
            .Select(e => graph.Node(other(e)) is { } node ? new OctopusArm(node, e) : null)
            .OfType<OctopusArm>()
            .OrderByDescending(a => a.Node.Resource is null)
            .ThenByDescending(a => a.Edge.Counts.Rps ?? 0)
            .ThenByDescending(a => a.Edge.TcpBytesPerSecond ?? 0)
            .ThenBy(a => a.Node.Id, StringComparer.Ordinal)
            .ToList();
        var shown = arms.Take(MaxPerSide).OrderByDescending(a => a.Edge.Counts.Rps ?? 0).ThenBy(a => a.Node.Id, StringComparer.Ordinal).ToList();
        return new OctopusSide(shown, arms.Count - shown.Count);
    }
}
