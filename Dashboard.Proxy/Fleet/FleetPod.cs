using System.Net;
using Dashboard.Proxy.Fleet.Manifest;
using Dashboard.Proxy.Hosting;

namespace Dashboard.Proxy.Fleet;

/// <summary>One pod of the fleet: where it listens and, once started, its proxy and readiness.</summary>
public sealed class FleetPod
{
    /// <summary>The port of every deployment's Service; it targets <see cref="AppPort"/> on the pods.</summary>
    public const int ServicePort = 80;
    public const int AppPort = 8080;
    /// <summary>A meshed pod's app listens here; its proxy takes <see cref="AppPort"/>, as iptables would redirect it in a cluster.</summary>
    public const int MeshedAppPort = 8081;
    public const int InboundPort = 4143;
    public const int OutboundPort = 4140;
    public const int AdminPort = 4191;
    public const int TapPort = 4190;

    public required string Namespace { get; init; }
    public required string Name { get; init; }
    /// <summary>The owning deployment, or null for a bare pod.</summary>
    public DeploymentSpec? Deployment { get; init; }
    public required bool Meshed { get; init; }
    public required IPAddress Ip { get; init; }
    public string Phase { get; init; } = "Running";
    public int Index { get; init; }
    /// <summary>Its replica number in its deployment (0 for a bare pod): what a manifest's <c>faults: [{pod: N}]</c> names.</summary>
    public int Ordinal { get; init; }
    /// <summary>A pod of the scale option: in the API and scraped, but without a process.</summary>
    public bool Synthetic { get; init; }

    /// <summary>Whether the pod's processes run (a bare pod that is Succeeded or Pending has none).</summary>
    public bool Runs => Phase == "Running" && !Synthetic;

    /// <summary>The ServiceAccount the pod runs as: its deployment's own, as each workload should have; <c>default</c> for a bare pod.</summary>
    public string ServiceAccount => Deployment?.Name ?? Contracts.Identity.IdentityNames.DefaultServiceAccount;

    /// <summary>Whether its proxy runs with an identity (meshed, and identity not disabled for its deployment).</summary>
    public bool HasIdentity => Meshed && Deployment?.Identity != false;

    public ProxyInstance? Proxy { get; set; }
    public bool Ready { get; set; }
    public string? NotReadyReason { get; set; }

    public IPEndPoint AppListen => new(Ip, Meshed ? MeshedAppPort : AppPort);
    /// <summary>Where clients reach the pod: its proxy when meshed, else the app.</summary>
    public IPEndPoint PodEndPoint => new(Ip, AppPort);
    public IPEndPoint Admin => new(Ip, AdminPort);
    public IPEndPoint Tap => new(Ip, TapPort);
    public IPEndPoint Outbound => new(Ip, OutboundPort);
}
