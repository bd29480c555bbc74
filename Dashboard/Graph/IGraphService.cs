using Dashboard.Model;

namespace Dashboard.Graph;

/// <summary>What a graph shows: which namespaces (all when null or empty), over which window, by workload or by pod, idle parts or not.</summary>
/// <param name="Namespaces">The namespaces whose nodes are shown, with the nodes of other namespaces they exchanged traffic with.</param>
/// <param name="Pods">Pod nodes instead of workload nodes.</param>
/// <param name="Idle">Also the meshed workloads (or pods) that moved no traffic in the window.</param>
/// <param name="At">The end of the window; now when null (a comparison's earlier window).</param>
public sealed record GraphRequest(IReadOnlyList<string>? Namespaces, StatWindow Window, bool Pods = false, bool Idle = false, DateTimeOffset? At = null);

/// <summary>
/// The service graph, built from a constant number of Prometheus queries per refresh whatever the mesh size (see
/// <see cref="GraphService.QueriesPerGraph"/>), and shared by every viewer of the same window.
/// </summary>
public interface IGraphService
{
    Task<ServiceGraph> GetAsync(GraphRequest request, CancellationToken cancellationToken);
}
