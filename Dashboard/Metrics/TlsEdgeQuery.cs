namespace Dashboard.Metrics;

/// <summary>The three views of a resource's traffic its TLS edges are assembled from (see <see cref="PromQl.TlsEdges"/>).</summary>
public enum TlsEdgeQuery
{
    Outgoing,
    Incoming,
    Seen,
}
