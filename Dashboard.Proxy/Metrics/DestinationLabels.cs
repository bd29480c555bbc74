namespace Dashboard.Proxy.Metrics;

/// <summary>What discovery knows of an outbound destination; becomes the <c>dst_*</c> labels.</summary>
public sealed record DestinationLabels(string Namespace, string Service, string? Deployment, string? Pod);
