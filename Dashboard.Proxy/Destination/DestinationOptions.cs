using System.Net;
using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Identity;

namespace Dashboard.Proxy.Destination;

/// <summary>Configuration of the destination service, read by <see cref="DestinationOptionsParser"/>.</summary>
public sealed record DestinationOptions
{
    public IPEndPoint Listen { get; init; } = IPEndPoint.Parse(DestinationEnvironment.DefaultListenAddr);

    /// <summary>The API to list and watch; null for the pod's in-cluster configuration.</summary>
    public Uri? KubernetesApi { get; init; }

    public string ClusterDomain { get; init; } = DestinationEnvironment.DefaultClusterDomain;

    public string TrustDomain { get; init; } = IdentityNames.DefaultTrustDomain;
}
