using System.Collections.Frozen;
using Dashboard.Kubernetes;
using Dashboard.Model;

namespace Dashboard.Tap;

/// <summary>
/// The running pods of an inventory snapshot by IP, so a tap's callers and destinations are named (pod, workload)
/// where the proxy's labels do not say.
/// </summary>
public sealed class TapPodDirectory : ITapPeerNames
{
    private readonly InventorySnapshot _snapshot;
    private readonly FrozenDictionary<string, PodInfo> _byIp;

    public TapPodDirectory(InventorySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _snapshot = snapshot;
        _byIp = snapshot.Pods
            .Where(p => p.PodIp is { Length: > 0 } && p.IsRunning)
            .GroupBy(p => p.PodIp!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The pod at <paramref name="ip"/> (no port), if the inventory knows one.</summary>
    public PodInfo? ByIp(string ip) => _byIp.GetValueOrDefault(ip);

    public string? NameOf(string ip) => ByIp(ip)?.Name;

    /// <summary>The pod a tap event's peer is: by its labels (<c>namespace</c>, <c>pod</c>) or else by its address.</summary>
    public PodInfo? Find(IReadOnlyDictionary<string, string>? labels, string address)
    {
        if (labels is not null && labels.TryGetValue("pod", out var pod) && pod.Length > 0
            && labels.TryGetValue("namespace", out var ns) && _snapshot.GetPod(ns, pod) is { } known)
        {
            return known;
        }

        return ByIp(TapRowFolder.Ip(address));
    }

    /// <summary>The peer's workload (<c>deploy/ml</c>), or its pod when it has none, and its namespace; nothing for an outside address.</summary>
    public TapPeer Peer(IReadOnlyDictionary<string, string>? labels, string address)
    {
        if (Find(labels, address) is { } pod)
        {
            var resource = InventorySnapshot.OwnerOf(pod) is { } owner ? new TapResource(owner.Kind, owner.Name) : new TapResource(WorkloadKind.Pod, pod.Name);
            return new TapPeer(resource.ToString(), pod.Namespace, pod.Name);
        }

        // A pod the inventory did not know when the tap started: the proxy's own labels still name it.
        var ns = labels?.GetValueOrDefault("namespace") is { Length: > 0 } n ? n : null;
        var name = labels?.GetValueOrDefault("pod") is { Length: > 0 } p ? p : null;
        if (labels?.GetValueOrDefault("deployment") is { Length: > 0 } deployment)
        {
            return new TapPeer($"{WorkloadKind.Deployment.ShortName()}/{deployment}", ns, name);
        }

        return name is not null ? new TapPeer($"{WorkloadKind.Pod.ShortName()}/{name}", ns, name) : new TapPeer(null, ns, null);
    }
}
