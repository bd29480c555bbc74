using System.Net;
using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Identity;

namespace Dashboard.Proxy.Destination;

/// <summary>Configuration of the destination service, read by <see cref="DestinationOptionsParser"/>.</summary>
public sealed record DestinationOptions
{
    public IPEndPoint Listen { get; init; } = IPEndPoint.Parse(DestinationEnvironment.DefaultListenAddr);

    /// <summary>
    /// The admin listener (<c>/ready</c>, <c>/live</c>, <c>/metrics</c>), plaintext HTTP/1.1 for the kubelet and Prometheus;
    /// null runs none (in-process use). The verb's parser defaults it to <see cref="DestinationEnvironment.DefaultAdminAddr"/>.
    /// </summary>
    public IPEndPoint? Admin { get; init; }

    /// <summary>The API to list and watch; null for the pod's in-cluster configuration.</summary>
    public Uri? KubernetesApi { get; init; }

    public string ClusterDomain { get; init; } = DestinationEnvironment.DefaultClusterDomain;

    public string TrustDomain { get; init; } = IdentityNames.DefaultTrustDomain;

    /// <summary>
    /// The service's own identity; with it the gRPC port serves mTLS and callers are authorized by their certificates'
    /// identities. Null serves plaintext and authenticates no caller (local use only).
    /// </summary>
    public IdentityOptions? Identity { get; init; }

    /// <summary>
    /// Whether SIGTERM and Ctrl-C stop it (the verb); hosted in another process (the fleet), its host stops it, after the
    /// proxies that stream from it.
    /// </summary>
    public bool StopsOnSignal { get; init; }
}
