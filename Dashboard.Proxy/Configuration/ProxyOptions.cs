using Dashboard.Contracts.Identity;
using System.Net;
using Dashboard.Contracts.Proxy;

namespace Dashboard.Proxy.Configuration;

/// <summary>One proxy instance's settings, parsed from its environment (see <see cref="ProxyOptionsParser"/>).</summary>
public sealed record ProxyOptions
{
    public required IPEndPoint InboundListen { get; init; }
    /// <summary>Host and port of the application behind the proxy, as <c>host:port</c>.</summary>
    public required string AppAddress { get; init; }
    public required IPEndPoint OutboundListen { get; init; }
    /// <summary>
    /// The local address outbound connections leave from, so destinations see this pod as their caller; null lets the
    /// system choose (in a pod, its only address). The fleet sets it: its pods share one host, each on its own loopback address.
    /// </summary>
    public IPAddress? OutboundSource { get; init; }
    public required IPEndPoint AdminListen { get; init; }
    public required IPEndPoint TapListen { get; init; }
    public string? TapToken { get; init; }
    /// <summary>The identity a tap subscriber over mesh TLS must prove; set when the proxy has an identity.</summary>
    public string? TapServiceName { get; init; }
    public string? PodName { get; init; }
    public string? PodNamespace { get; init; }
    /// <summary>
    /// Kubernetes API the proxy lists and watches by itself for outbound discovery (the fallback when no destination service
    /// runs); null, and without <see cref="DestinationService"/>, means DNS only. Never guessed from the pod's in-cluster settings.
    /// </summary>
    public Uri? KubernetesApi { get; init; }
    /// <summary><c>host:port</c> of the destination service; when set, outbound discovery subscribes to it (and not to the Kubernetes API).</summary>
    public string? DestinationService { get; init; }
    /// <summary>The identity the destination service must present over mesh TLS; set when the proxy has an identity.</summary>
    public string? DestinationServiceName { get; init; }
    /// <summary>How long a destination not sent to keeps its destination-service subscription.</summary>
    public TimeSpan DestinationIdleTimeout { get; init; } = ProxyEnvironment.DefaultDestinationIdleTimeout;
    /// <summary>How long an upstream may stay silent before the proxy answers 504.</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(100);
    /// <summary>How long protocol detection waits for a connection's first bytes before forwarding it as opaque TCP.</summary>
    public TimeSpan DetectTimeout { get; init; } = ProxyEnvironment.DefaultDetectTimeout;
    /// <summary>The app's ports whose inbound connections skip protocol detection (opaque TCP), inside mesh TLS too.</summary>
    public IReadOnlyList<PortRange> InboundOpaquePorts { get; init; } = [];
    /// <summary>How long shutdown waits for in-flight requests.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Events buffered per tap subscriber before the oldest are dropped.</summary>
    public int TapBufferCapacity { get; init; } = 10_000;
    /// <summary>The proxy's identity; null runs it without (no mTLS, <c>tls="disabled"</c>).</summary>
    public IdentityOptions? Identity { get; init; }
    /// <summary>The <c>base</c> of tap event ids; distinguishes proxies in one process (the fleet).</summary>
    public int InstanceId { get; init; }
}
