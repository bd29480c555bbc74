using System.Diagnostics;
using System.Globalization;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Graph;

/// <summary>
/// The service graph of the whole mesh for a window, from <see cref="QueriesPerGraph"/> queries whatever its size, built
/// once per refresh and shared by every viewer (<see cref="MetricsService.SharedAsync{T}"/>); each request then takes
/// its namespaces from it (<see cref="GraphBuilder.Filter"/>).
/// </summary>
public sealed partial class GraphService(MetricsService metrics, IKubernetesInventory? inventory, TimeProvider time, ILogger<GraphService> logger)
    : IGraphService
{
    /// <summary>Queries per refresh: edge counts, edge latency buckets, TCP bytes.</summary>
    public const int QueriesPerGraph = 3;

    public async Task<ServiceGraph> GetAsync(GraphRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = string.Create(CultureInfo.InvariantCulture, $"graph\n{request.Window}\n{request.Pods}\n{request.At?.ToUnixTimeMilliseconds()}");
        var graph = await metrics.SharedAsync(key, ct => BuildAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return GraphBuilder.Filter(graph, request);
    }

    private async Task<ServiceGraph> BuildAsync(GraphRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var counts = metrics.GetSamplesAsync(PromQl.GraphCounts(request.Pods, request.Window), request.At, cancellationToken);
        var buckets = metrics.GetSamplesAsync(PromQl.GraphLatencyBuckets(request.Pods, request.Window), request.At, cancellationToken);
        var tcp = metrics.GetSamplesAsync(PromQl.GraphTcpBytes(request.Pods, request.Window), request.At, cancellationToken);
        await Task.WhenAll(counts, buckets, tcp).ConfigureAwait(false);
        var graph = GraphBuilder.Build(request.Pods, request.Window, request.At ?? time.GetUtcNow(),
            await counts.ConfigureAwait(false), await buckets.ConfigureAwait(false), await tcp.ConfigureAwait(false), inventory?.Current);
        LogBuilt(logger, graph.Nodes.Count, graph.Edges.Count, request.Window, request.Pods, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return graph;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "graph of {Nodes} nodes and {Edges} edges over {Window} (pods: {Pods}) built in {Milliseconds:0.0} ms")]
    private static partial void LogBuilt(ILogger logger, int nodes, int edges, StatWindow window, bool pods, double milliseconds);
}
