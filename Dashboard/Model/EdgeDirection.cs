namespace Dashboard.Model;

/// <summary>Which neighbours of a resource an edge query returns.</summary>
public enum EdgeDirection
{
    /// <summary>The callers of the resource: traffic to it, grouped by the caller.</summary>
    Inbound,

    /// <summary>The destinations of the resource: traffic from it, grouped by the destination.</summary>
    Outbound,
}
