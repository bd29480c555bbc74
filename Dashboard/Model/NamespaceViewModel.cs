using Dashboard.Kubernetes;

namespace Dashboard.Model;

/// <summary>A namespace's page: which tables it has, and whether the namespace exists.</summary>
public sealed class NamespaceViewModel(IKubernetesInventory inventory, ViewHost host) : InventoryViewModel(inventory, host)
{
    public string Namespace { get; set; } = "";

    /// <summary>The namespace is not in the inventory, and the inventory is in sync: it does not exist.</summary>
    public bool IsMissing => IsConnected && !Snapshot.Contains(ResourceKey.ForNamespace(Namespace));

    /// <summary>One table per workload kind that has resources here, in the order tables list them; pods always.</summary>
    public IReadOnlyList<WorkloadKind> Tables()
    {
        var snapshot = Snapshot;
        return [.. WorkloadKindExtensions.Workloads.Where(k => snapshot.WorkloadsOf(k, Namespace).Count > 0), WorkloadKind.Pod];
    }
}
