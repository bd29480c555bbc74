using System.Net;
using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// The pods a manifest describes, each on a loopback address of its own (127.10.x.y), so every pod
/// uses the standard ports like in a cluster and Prometheus scrapes each one separately.
/// </summary>
public sealed class FleetTopology
{
    private readonly Dictionary<(string Namespace, string Service), List<FleetPod>> _services = [];

    private readonly Dictionary<(string Namespace, string Pod), FleetPod> _byName = [];

    public FleetTopology(FleetManifest manifest, byte ipSecondOctet = 10, SyntheticWorkloads? synthetic = null)
    {
        // Synthetic namespaces join the manifest's, so the API, discovery and tables treat them alike.
        manifest = synthetic is { IsEmpty: false } ? manifest with { Namespaces = [.. manifest.Namespaces, .. synthetic.Namespaces()] } : manifest;
        Manifest = manifest;
        Synthetic = synthetic ?? new SyntheticWorkloads(0, 0);
        var index = 0;
        var pods = new List<FleetPod>();
        foreach (var ns in manifest.Namespaces)
        {
            foreach (var deployment in ns.Deployments)
            {
                var members = new List<FleetPod>();
                for (var replica = 0; replica < deployment.Replicas; replica++)
                {
                    members.Add(new FleetPod
                    {
                        Namespace = ns.Name,
                        Name = FleetNames.PodName(ns.Name, deployment.Name, replica),
                        Deployment = deployment,
                        Meshed = deployment.Meshed,
                        Ip = Address(ipSecondOctet, ++index),
                        Index = index,
                        Ordinal = replica,
                        Synthetic = SyntheticWorkloads.IsSynthetic(ns.Name),
                    });
                }

                _services[(ns.Name, deployment.Name)] = members;
                pods.AddRange(members);
            }

            foreach (var bare in ns.Pods)
            {
                pods.Add(new FleetPod
                {
                    Namespace = ns.Name,
                    Name = bare.Name,
                    Meshed = bare.Meshed,
                    Phase = bare.Phase,
                    Ip = Address(ipSecondOctet, ++index),
                    Index = index,
                });
            }
        }

        Pods = pods;
        foreach (var pod in pods)
        {
            _byName[(pod.Namespace, pod.Name)] = pod;
        }
    }

    public FleetManifest Manifest { get; }
    /// <summary>The scale option's deployments (in <see cref="Manifest"/> too) and their calls.</summary>
    public SyntheticWorkloads Synthetic { get; }
    public IReadOnlyList<FleetPod> Pods { get; }

    /// <summary>The pods behind a service (every deployment has a service of its name).</summary>
    public IReadOnlyList<FleetPod> ServicePods(string @namespace, string service) =>
        _services.TryGetValue((@namespace, service), out var pods) ? pods : [];

    public FleetPod? Pod(string @namespace, string name) => _byName.GetValueOrDefault((@namespace, name));

    private static IPAddress Address(byte second, int index) =>
        new([127, second, (byte)(index / 250), (byte)((index % 250) + 1)]);
}
