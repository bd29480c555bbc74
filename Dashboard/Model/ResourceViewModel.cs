using Dashboard.Kubernetes;
using Dashboard.Services;

namespace Dashboard.Model;

/// <summary>A resource page's header: whether the resource exists, is meshed, has traffic, and whose pod it is.</summary>
public sealed class ResourceViewModel(IKubernetesInventory inventory, ViewHost host) : InventoryViewModel(inventory, host)
{
    public ResourceKey Resource { get; set; }

    /// <summary>The resource's own row as the inventory knows it (MESHED); 0/0 when it does not.</summary>
    public StatTableRow Row => StatTableService.InventoryRow(Snapshot, Resource);

    public bool Exists => Snapshot.Contains(Resource);

    /// <summary>No pods and not in the inventory: nothing to show but past traffic.</summary>
    public bool NotFound => Row is { RunningPods: 0, MeshedPods: 0 } && !Exists;

    /// <summary>The inventory is in sync and has no such resource: it was deleted (or never was).</summary>
    public bool IsGone => IsConnected && !Exists;

    /// <summary>The workload a pod belongs to, when it is one of the kinds with pages.</summary>
    public ResourceKey? Owner =>
        Resource.Kind == WorkloadKind.Pod && Snapshot.GetPod(Resource.Namespace, Resource.Name) is { } pod ? InventorySnapshot.OwnerOf(pod) : null;

    /// <summary>The resource's own table had no numbers at its last load ("no traffic in the last 1m").</summary>
    public bool NoTraffic { get; private set; }

    /// <summary>Told of each load of the resource's own table.</summary>
    public void SelfLoaded(StatTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        NoTraffic = table.Rows.All(r => r.Stats is null);
    }
}
