using System.Net;
using System.Net.Sockets;
using Dashboard.Contracts.Tap;
using Dashboard.Kubernetes;
using Dashboard.Model;

namespace Dashboard.Tap;

/// <summary>Finds the pods a tap query targets in the Kubernetes inventory, and each meshed pod's tap hub.</summary>
public static class TapTargetResolver
{
    /// <summary>The proxy's tap port: the port of <see cref="Contracts.Proxy.ProxyEnvironment.DefaultTapListenAddr"/>.</summary>
    public const int TapPort = 4190;

    /// <summary>One tap opens one stream per pod: beyond this many pods, the rest are skipped, and said so.</summary>
    public const int MaxPods = 200;

    /// <exception cref="TapQueryException">The namespace or resource does not exist, or none of its pods can be tapped.</exception>
    public static TapTargets Resolve(InventorySnapshot snapshot, TapQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        if (snapshot.GetNamespace(query.Namespace) is null)
        {
            throw new TapQueryException($"namespace {query.Namespace} does not exist");
        }

        var pods = PodsOf(snapshot, query);
        var targets = new List<TapTarget>();
        var skipped = new List<TapPodStatus>();
        foreach (var pod in pods)
        {
            var reason = pod switch
            {
                { Meshed: false } => "not meshed: it has no proxy to tap",
                { IsRunning: false } => $"not running (phase {pod.Phase})",
                { PodIp: null or "" } => "has no pod IP yet",
                _ when !IPAddress.TryParse(pod.PodIp, out _) => $"pod IP '{pod.PodIp}' is not an IP address",
                _ when targets.Count >= MaxPods => $"over the limit of {MaxPods} pods per tap: tap a smaller resource",
                _ => null,
            };
            if (reason is null)
            {
                targets.Add(new TapTarget(pod.Namespace, pod.Name, HubOf(IPAddress.Parse(pod.PodIp!))) { ServiceAccount = pod.ServiceAccount });
            }
            else
            {
                skipped.Add(new TapPodStatus(pod.Namespace, pod.Name, TapPodState.Skipped, reason));
            }
        }

        if (targets.Count == 0)
        {
            throw new TapQueryException(pods.IsEmpty
                ? $"{query.Target} in namespace {query.Namespace} has no pods"
                : $"{query.Target} in namespace {query.Namespace} has no meshed running pod to tap ({skipped.Count} pods: {skipped[0].Pod} is {skipped[0].Reason})");
        }

        return new TapTargets(targets, skipped);
    }

    public static Uri HubOf(IPAddress address)
    {
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new Uri($"http://{host}:{TapPort}{TapRoutes.HubPath}");
    }

    private static System.Collections.Immutable.ImmutableArray<PodInfo> PodsOf(InventorySnapshot snapshot, TapQuery query)
    {
        var resource = query.Target.In(query.Namespace);
        return snapshot.Contains(resource)
            ? snapshot.PodsOf(resource)
            : throw new TapQueryException($"{resource.Kind.SingularName()} {resource.Name} does not exist in namespace {query.Namespace}");
    }
}
