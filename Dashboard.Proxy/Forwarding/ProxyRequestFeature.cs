using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Tap;

namespace Dashboard.Proxy.Forwarding;

/// <summary>Per-request state of the proxy, kept as a feature so the transformer can reach it.</summary>
internal sealed class ProxyRequestFeature
{
    public long StartTimestamp { get; init; }
    public long ResponseTimestamp { get; set; }
    public int? GrpcStatus { get; set; }
    public TapRequestContext? Tap { get; set; }
    /// <summary>The endpoint outbound traffic goes to; read by the connect callback for TCP metrics.</summary>
    public OutboundEndpoint? Endpoint { get; init; }
}
