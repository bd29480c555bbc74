using Dashboard.Model;

namespace Dashboard.Graph;

/// <summary>
/// One node of the service graph: a workload (or a pod, when the graph is by pod), or the clients outside the mesh.
/// </summary>
/// <param name="Resource">The workload or pod; null for <see cref="Unmeshed"/>.</param>
/// <param name="Meshed">Whether its pods run a proxy (the unmeshed clients never do).</param>
/// <param name="Inbound">What its callers sent it in the window, summed over its incoming edges; null when none did.</param>
public sealed record GraphNode(ResourceKey? Resource, bool Meshed, StatCounts? Inbound)
{
    /// <summary>The id of the node standing for every client outside the mesh.</summary>
    public const string UnmeshedId = "unmeshed";

    /// <summary>The kind of the unmeshed clients' node, beside the workload kinds' singular names.</summary>
    public const string UnmeshedKind = "unmeshed";

    /// <summary>The name the unmeshed clients' node shows.</summary>
    public const string UnmeshedName = "unmeshed clients";

    public static GraphNode Unmeshed(StatCounts? inbound = null) => new(null, false, inbound);

    /// <summary><c>&lt;namespace&gt;/&lt;kind&gt;/&lt;name&gt;</c> (the kind singular, as in <c>shop/deployment/web</c>), or <see cref="UnmeshedId"/>.</summary>
    public string Id => Resource is { } r ? IdOf(r) : UnmeshedId;

    /// <summary><c>deployment</c>, <c>statefulset</c>, <c>daemonset</c>, <c>job</c>, <c>pod</c> or <see cref="UnmeshedKind"/>.</summary>
    public string Kind => Resource is { } r ? r.Kind.SingularName() : UnmeshedKind;

    /// <summary>The namespace; empty for the unmeshed clients, who are in none.</summary>
    public string Namespace => Resource?.Namespace ?? "";

    public string Name => Resource?.Name ?? UnmeshedName;

    /// <summary>Whether nothing called it in the window and it called nothing (set by the builder from its edges).</summary>
    public bool Idle { get; init; }

    public static string IdOf(ResourceKey resource) => $"{resource.Namespace}/{resource.Kind.SingularName()}/{resource.Name}";

    /// <summary>What a find/hide expression judges this node on.</summary>
    public GraphSubject Subject => new(Name, Namespace, Meshed, Inbound?.Rps, Inbound?.SuccessRate,
        Inbound?.P50Ms, Inbound?.P95Ms, Inbound?.P99Ms, null);
}

/// <summary>How the requests of an edge were secured: all over mTLS, some, or none.</summary>
public enum GraphTls
{
    True,
    Mixed,
    False,
}

/// <summary>One edge of the service graph: what <paramref name="Source"/> sent <paramref name="Target"/> in the window.</summary>
/// <param name="Source">The caller's node id (<see cref="GraphNode.Id"/>).</param>
/// <param name="Target">The callee's node id.</param>
/// <param name="Counts">The HTTP requests and their latency, as the caller's outbound proxies measured them (for the
/// unmeshed clients, the callee's inbound proxies); zero requests for an edge that carried TCP only.</param>
/// <param name="TcpBytesPerSecond">Bytes per second both ways over the edge's TCP connections; null when none were counted.</param>
public sealed record GraphEdge(string Source, string Target, StatCounts Counts, double? TcpBytesPerSecond)
{
    /// <summary><see cref="GraphTls.True"/> when every request (or, TCP only, every byte) went over mTLS.</summary>
    public GraphTls Tls { get; init; } = GraphTls.False;

    /// <summary>Why requests went in plaintext (Linkerd's <c>no_tls_reason</c>, or the <c>tls</c> label); null when all were mTLS.</summary>
    public string? NoTlsReason { get; init; }

    /// <summary>Whether the edge carried TCP but no HTTP requests (opaque traffic).</summary>
    public bool TcpOnly => Counts.Total <= 0 && TcpBytesPerSecond > 0;

    public string Id => $"{Source}->{Target}";

    /// <summary>What a find/hide expression judges this edge on; its name is the callee's.</summary>
    public GraphSubject Subject(GraphNode target) => new(target.Name, target.Namespace, target.Meshed, Counts.Rps, Counts.SuccessRate,
        Counts.P50Ms, Counts.P95Ms, Counts.P99Ms, TlsName(Tls));

    /// <summary>The contract's name of <paramref name="tls"/>: <c>true</c>, <c>mixed</c>, <c>false</c>.</summary>
    public static string TlsName(GraphTls tls) => tls switch
    {
        GraphTls.True => "true",
        GraphTls.Mixed => "mixed",
        _ => "false",
    };
}

/// <summary>The service graph of one window: every node and edge of the mesh that moved traffic (and idle ones, when asked for).</summary>
/// <param name="At">When it was built.</param>
public sealed record ServiceGraph(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, StatWindow Window, DateTimeOffset At)
{
    public static ServiceGraph Empty(StatWindow window, DateTimeOffset at) => new([], [], window, at);

    public GraphNode? Node(string id) => Nodes.FirstOrDefault(n => n.Id == id);
}
