using Dashboard.Proxy.Metrics;

namespace Dashboard.Proxy.Discovery;

/// <summary>One ready endpoint of a service, as discovery saw it. Value equality keys per-endpoint caches.</summary>
/// <param name="Identity">The workload identity of a meshed pod, which outbound mTLS verifies; null for an unmeshed one.</param>
/// <param name="Meshed">The pod runs the mesh's proxy (with or without an identity): what the destination service tells proxies.</param>
public sealed record EndpointInfo(string Address, DestinationLabels Labels, string? Identity = null, bool Meshed = false);

/// <summary>A service port resolved to its ready endpoints.</summary>
/// <param name="opaque">
/// Whether the port is opaque (the Service's, or for a pod address the pod's, <c>config.linkerd.io/opaque-ports</c>):
/// connections to it are forwarded as TCP without protocol detection.
/// </param>
public sealed class ResolvedService(string @namespace, string name, EndpointInfo[] endpoints, bool opaque = false)
{
    private int _next = -1;

    public string Namespace { get; } = @namespace;
    public string Name { get; } = name;
    public IReadOnlyList<EndpointInfo> Endpoints => endpoints;
    public bool Opaque { get; } = opaque;

    /// <summary>Round-robin over the ready endpoints; null when there are none.</summary>
    public EndpointInfo? Pick()
    {
        if (endpoints.Length == 0)
        {
            return null;
        }

        var index = (uint)Interlocked.Increment(ref _next) % (uint)endpoints.Length;
        return endpoints[index];
    }
}
