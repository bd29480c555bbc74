using System.Net;
using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Proxy.Fleet;

public sealed record FleetOptions
{
    public const string DefaultManifest = "docker/fleet/demo.yaml";
    /// <summary>127.0.0.1:8086: the destination service's port, on loopback as the fleet's other listeners.</summary>
    public static IPEndPoint DefaultDestinationListen => new(IPAddress.Loopback, Contracts.Destination.DestinationEnvironment.DefaultPort);

    public required FleetManifest Manifest { get; init; }
    /// <summary>The Kubernetes API, service discovery and ground truth listener.</summary>
    public IPEndPoint ApiListen { get; init; } = new(IPAddress.Loopback, 6443);
    /// <summary>
    /// The fleet's destination service (gRPC, prior-knowledge HTTP/2), which its meshed proxies resolve through; port 0
    /// takes any free port (<see cref="FleetHost.DestinationEndPoint"/> says which).
    /// </summary>
    public IPEndPoint DestinationListen { get; init; } = DefaultDestinationListen;
    /// <summary>Bearer token of every fleet proxy's tap; null turns tap off.</summary>
    public string? TapToken { get; init; }
    /// <summary>The users its Kubernetes API authenticates in TokenReviews (<c>--token-auth-file</c>); none by default.</summary>
    public KubernetesApi.KubeTokenFile Tokens { get; init; } = KubernetesApi.KubeTokenFile.Empty;
    /// <summary>Pods get addresses 127.N.x.y; tests use another N than a running fleet.</summary>
    public byte IpSecondOctet { get; init; } = 10;
    /// <summary>Start the manifest's traffic generators.</summary>
    public bool GenerateTraffic { get; init; } = true;
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Give meshed pods identities, issued by the fleet, and mTLS between their proxies.</summary>
    public bool Identity { get; init; } = true;
    /// <summary>Lifetime of the workload certificates the fleet issues; they are renewed at 70 % of it.</summary>
    public TimeSpan CertificateLifetime { get; init; } = IdentityService.CertificateAuthority.DefaultLifetime;
    /// <summary>Deployments and pods without processes, added for scale.</summary>
    public SyntheticWorkloads Synthetic { get; init; } = new(0, 0);
}
