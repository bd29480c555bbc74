using System.Collections.Frozen;
using Dashboard.Kubernetes;

namespace Dashboard.Tap;

/// <summary>
/// The running pods of an inventory snapshot by IP, so a tap's callers and destinations are named (pod, workload)
/// where the proxy's labels do not say.
/// </summary>
public sealed class TapPodDirectory
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

    /// <summary>The pod's name at <paramref name="ip"/>: what <see cref="TapRowFolder"/> asks.</summary>
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
}
