using Dashboard.Contracts.Metrics;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Graph;

/// <summary>
/// Builds the service graph from the answers of its three queries (<see cref="PromQl.GraphCounts"/>,
/// <see cref="PromQl.GraphLatencyBuckets"/>, <see cref="PromQl.GraphTcpBytes"/>) and, when there is one, the inventory
/// (which pods are meshed, and the idle workloads no metric names). Edges between meshed workloads are the callers'
/// outbound view; what a destination received without a client identity, less the plaintext its meshed callers say
/// they sent, is the edge from the unmeshed clients.
/// </summary>
public static class GraphBuilder
{
    /// <summary>Requests below this over a window are extrapolation noise of <c>increase()</c>, not an unmeshed caller.</summary>
    private const double LeastUnaccounted = 0.5;

    public static ServiceGraph Build(
        bool pods, StatWindow window, DateTimeOffset at, IReadOnlyList<PromSample> counts, IReadOnlyList<PromSample> buckets,
        IReadOnlyList<PromSample> tcp, InventorySnapshot? inventory)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(tcp);
        var edges = new Dictionary<(string, string), EdgeTally>();
        var resources = new Dictionary<string, ResourceKey>(StringComparer.Ordinal);
        var proxied = new HashSet<string>(StringComparer.Ordinal); // nodes whose own proxies reported
        var unidentified = new Dictionary<string, EdgeTally>(StringComparer.Ordinal); // by destination

        EdgeTally Edge(ResourceKey? source, ResourceKey target)
        {
            var from = source is { } s ? Remember(s) : GraphNode.UnmeshedId;
            var to = Remember(target);
            if (!edges.TryGetValue((from, to), out var tally))
            {
                edges[(from, to)] = tally = new EdgeTally();
            }

            return tally;
        }

        string Remember(ResourceKey key)
        {
            var id = GraphNode.IdOf(key);
            resources.TryAdd(id, key);
            return id;
        }

        foreach (var sample in counts)
        {
            if (Ends(sample, pods) is not (var source, var target, var outbound) || sample.Value is not { } value || !double.IsFinite(value) || value < 0)
            {
                continue;
            }

            if (outbound)
            {
                proxied.Add(Remember(source!.Value));
                Edge(source, target).Add(sample, value);
            }
            else
            {
                var id = Remember(target);
                proxied.Add(id);
                if (!unidentified.TryGetValue(id, out var tally))
                {
                    unidentified[id] = tally = new EdgeTally();
                }

                tally.Add(sample, value);
            }
        }

        // What a destination received without an identity, less the plaintext its meshed callers sent it, came from outside the mesh.
        var callersOf = edges.ToLookup(e => e.Key.Item2, e => e.Value, StringComparer.Ordinal);
        foreach (var (target, received) in unidentified)
        {
            var fromCallers = callersOf[target].ToList();
            var successes = received.Successes - fromCallers.Sum(e => e.Successes - e.TlsSuccesses);
            var failures = received.Failures - fromCallers.Sum(e => e.Failures - e.TlsFailures);
            successes = successes < LeastUnaccounted ? 0 : successes;
            failures = failures < LeastUnaccounted ? 0 : failures;
            if (successes + failures > 0 || received.Successes + received.Failures <= 0)
            {
                Edge(null, resources[target]).Unaccounted(received, successes, failures);
            }
        }

        foreach (var sample in buckets)
        {
            if (Ends(sample, pods) is (var source, var target, var outbound) && StatRows.Bound(sample.Label(PromQl.BucketBound)) is { } bound
                && sample.Value is { } rate && double.IsFinite(rate)
                && edges.TryGetValue((outbound ? GraphNode.IdOf(source!.Value) : GraphNode.UnmeshedId, GraphNode.IdOf(target)), out var tally))
            {
                tally.AddBucket(bound, rate);
            }
        }

        foreach (var sample in tcp)
        {
            if (Ends(sample, pods, direction: true) is { } ends && sample.Value is { } bytes && double.IsFinite(bytes) && bytes >= 0)
            {
                proxied.Add(Remember(ends.Source!.Value));
                Edge(ends.Source, ends.Target).AddTcp(sample.Label(LabelNames.Tls) == LabelNames.Values.TlsTrue, bytes);
            }
        }

        var graphEdges = edges.Select(e => e.Value.ToEdge(e.Key.Item1, e.Key.Item2, window)).ToList();
        var busy = graphEdges.Where(e => !IsIdle(e)).SelectMany(e => new[] { e.Source, e.Target }).ToHashSet(StringComparer.Ordinal);
        var securedTargets = graphEdges.Where(e => e.Tls != GraphTls.False).Select(e => e.Target).ToHashSet(StringComparer.Ordinal);
        foreach (var key in IdleCandidates(pods, inventory))
        {
            Remember(key);
        }

        var incomingOf = graphEdges.Where(e => !IsIdle(e)).ToLookup(e => e.Target, StringComparer.Ordinal);
        var nodes = new List<GraphNode>(resources.Count + 1);
        foreach (var (id, key) in resources.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var incoming = incomingOf[id].ToList();
            var meshed = MeshedInInventory(key, inventory) ?? (proxied.Contains(id) || securedTargets.Contains(id));
            nodes.Add(new GraphNode(key, meshed, Inbound(incoming, edges, window)) { Idle = !busy.Contains(id) });
        }

        if (edges.Keys.Any(k => k.Item1 == GraphNode.UnmeshedId))
        {
            nodes.Insert(0, GraphNode.Unmeshed() with { Idle = !busy.Contains(GraphNode.UnmeshedId) });
        }

        return new ServiceGraph(nodes, [.. graphEdges.OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Target, StringComparer.Ordinal)], window, at);
    }

    /// <summary>
    /// The part of <paramref name="graph"/> a request shows: the nodes of its namespaces (all when none are named) and
    /// every edge touching one, with the nodes at their other ends; idle nodes and edges only when asked for.
    /// </summary>
    public static ServiceGraph Filter(ServiceGraph graph, GraphRequest request)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(request);
        var scope = request.Namespaces is { Count: > 0 } names ? names.ToHashSet(StringComparer.Ordinal) : null;
        bool InScope(GraphNode node) => scope is null || scope.Contains(node.Namespace);
        var byId = graph.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var edges = graph.Edges.Where(e => (request.Idle || !IsIdle(e))
            && byId.TryGetValue(e.Source, out var source) && byId.TryGetValue(e.Target, out var target) && (InScope(source) || InScope(target))).ToList();
        var ends = edges.SelectMany(e => new[] { e.Source, e.Target }).ToHashSet(StringComparer.Ordinal);
        var nodes = graph.Nodes.Where(n => ends.Contains(n.Id) || (InScope(n) && n.Id != GraphNode.UnmeshedId && (request.Idle || !n.Idle))).ToList();
        return graph with { Nodes = nodes, Edges = edges };
    }

    /// <summary>An edge that moved nothing in the window: its series exist, its counters did not advance.</summary>
    public static bool IsIdle(GraphEdge edge)
    {
        ArgumentNullException.ThrowIfNull(edge);
        return edge.Counts.Total <= 0 && !(edge.TcpBytesPerSecond > 0);
    }

    // The two ends of a series: the caller (null for the unmeshed clients) and the destination, and whether it is outbound
    // (by its direction label; the TCP query's series are all outbound, and have none).
    private static (ResourceKey? Source, ResourceKey Target, bool Outbound)? Ends(PromSample sample, bool pods, bool? direction = null)
    {
        var outbound = direction ?? sample.Label(LabelNames.Direction) == LabelNames.Values.Outbound;
        var own = Key(sample, LabelNames.Namespace, pods ? LabelNames.Pod : null, k => k.PromLabel());
        if (!outbound)
        {
            return own is { } destination ? (null, destination, false) : null;
        }

        var target = Key(sample, LabelNames.DstNamespace, pods ? LabelNames.DstPod : null, k => k.DstPromLabel());
        return own is { } source && target is { } t ? (source, t, true) : null;
    }

    // A node's key: by pod, the pod; by workload, the first workload kind whose label the series has.
    private static ResourceKey? Key(PromSample sample, string namespaceLabel, string? podLabel, Func<WorkloadKind, string> kindLabel)
    {
        var ns = sample.Label(namespaceLabel);
        if (string.IsNullOrEmpty(ns))
        {
            return null;
        }

        if (podLabel is not null)
        {
            var pod = sample.Label(podLabel);
            return string.IsNullOrEmpty(pod) ? null : new ResourceKey(WorkloadKind.Pod, ns, pod);
        }

        foreach (var kind in WorkloadKindExtensions.Workloads)
        {
            var name = sample.Label(kindLabel(kind));
            if (!string.IsNullOrEmpty(name))
            {
                return new ResourceKey(kind, ns, name);
            }
        }

        return null;
    }

    private static bool? MeshedInInventory(ResourceKey key, InventorySnapshot? inventory)
    {
        if (inventory is null || inventory.Version == 0)
        {
            return null;
        }

        if (key.Kind == WorkloadKind.Pod)
        {
            return inventory.GetPod(key.Namespace, key.Name)?.Meshed;
        }

        var workload = inventory.GetWorkload(new WorkloadRef(key.Kind.DisplayName(), key.Namespace, key.Name));
        return workload is null ? null : workload.MeshedPods > 0;
    }

    // The meshed workloads (or running meshed pods) the inventory knows: shown idle when they moved nothing.
    private static IEnumerable<ResourceKey> IdleCandidates(bool pods, InventorySnapshot? inventory)
    {
        if (inventory is null)
        {
            return [];
        }

        if (pods)
        {
            return inventory.Pods.Where(p => p.Meshed && p.IsRunning).Select(p => new ResourceKey(WorkloadKind.Pod, p.Namespace, p.Name));
        }

        return inventory.Workloads.Where(w => w.MeshedPods > 0)
            .Select(w => WorkloadKindExtensions.TryParseKubernetesKind(w.Kind, out var kind) ? new ResourceKey(kind, w.Namespace, w.Name) : (ResourceKey?)null)
            .OfType<ResourceKey>();
    }

    // A node's inbound numbers: its incoming edges' counts summed, its percentiles from their summed buckets.
    private static StatCounts? Inbound(List<GraphEdge> incoming, Dictionary<(string, string), EdgeTally> tallies, StatWindow window)
    {
        if (incoming.Count == 0 || incoming.Sum(e => e.Counts.Total) <= 0)
        {
            return null;
        }

        var merged = new EdgeTally();
        foreach (var edge in incoming)
        {
            merged.Merge(tallies[(edge.Source, edge.Target)]);
        }

        return merged.Counts(window);
    }

    /// <summary>One edge's counts, bucket rates and TCP bytes as the answers come in.</summary>
    private sealed class EdgeTally
    {
        private readonly SortedDictionary<double, double> _buckets = [];
        private readonly SortedSet<string> _reasons = new(StringComparer.Ordinal);

        public double Successes { get; private set; }

        public double Failures { get; private set; }

        public double TlsSuccesses { get; private set; }

        public double TlsFailures { get; private set; }

        private double? TcpBytes { get; set; }

        private double TcpTlsBytes { get; set; }

        public void Add(PromSample sample, double value)
        {
            var secured = sample.Label(LabelNames.Tls) == LabelNames.Values.TlsTrue;
            switch (sample.Label(LabelNames.Classification))
            {
                case LabelNames.Values.Success:
                    Successes += value;
                    TlsSuccesses += secured ? value : 0;
                    break;
                case LabelNames.Values.Failure:
                    Failures += value;
                    TlsFailures += secured ? value : 0;
                    break;
                default:
                    return;
            }

            if (!secured && value > 0 && Reason(sample) is { } reason)
            {
                _reasons.Add(reason);
            }
        }

        // The unmeshed clients' share of what a destination received without an identity: none of it was mTLS.
        public void Unaccounted(EdgeTally received, double successes, double failures)
        {
            Successes = successes;
            Failures = failures;
            _reasons.UnionWith(received._reasons);
        }

        public void AddBucket(double bound, double rate) => _buckets[bound] = _buckets.GetValueOrDefault(bound) + rate;

        public void AddTcp(bool secured, double bytesPerSecond)
        {
            TcpBytes = (TcpBytes ?? 0) + bytesPerSecond;
            TcpTlsBytes += secured ? bytesPerSecond : 0;
        }

        public void Merge(EdgeTally other)
        {
            Successes += other.Successes;
            Failures += other.Failures;
            TlsSuccesses += other.TlsSuccesses;
            TlsFailures += other.TlsFailures;
            foreach (var (bound, rate) in other._buckets)
            {
                AddBucket(bound, rate);
            }
        }

        public StatCounts Counts(StatWindow window)
        {
            var percentiles = _buckets.Count == 0
                ? new double[PromQl.Quantiles.Count].Select(_ => double.NaN).ToArray()
                : HistogramQuantile.Compute(PromQl.Quantiles, _buckets.Select(b => (b.Key, b.Value)));
            double? Finite(double ms) => double.IsFinite(ms) ? ms : null;
            return new StatCounts(Successes, Failures, TlsSuccesses + TlsFailures, window.TotalSeconds,
                Finite(percentiles[0]), Finite(percentiles[1]), Finite(percentiles[2]));
        }

        public GraphEdge ToEdge(string source, string target, StatWindow window)
        {
            var counts = Counts(window);
            var total = counts.Total;
            var tls = total > 0
                ? (counts.TlsRequests >= total ? GraphTls.True : counts.TlsRequests > 0 ? GraphTls.Mixed : GraphTls.False)
                : TcpBytes is > 0 ? (TcpTlsBytes >= TcpBytes ? GraphTls.True : TcpTlsBytes > 0 ? GraphTls.Mixed : GraphTls.False)
                : GraphTls.False;
            return new GraphEdge(source, target, counts, TcpBytes)
            {
                Tls = tls,
                NoTlsReason = tls == GraphTls.True ? null : _reasons.Count > 0 ? string.Join(", ", _reasons) : source == GraphNode.UnmeshedId ? LabelNames.Values.NoTlsFromRemote : null,
            };
        }

        private static string? Reason(PromSample sample) =>
            sample.Label(LabelNames.Tls) is { Length: > 0 } tls ? TlsEdge.ReasonOf(tls, sample.Label(LabelNames.NoTlsReason)) : null;
    }
}
