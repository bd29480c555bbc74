using Dashboard.Kubernetes;

namespace Dashboard.Model;

/// <summary>What a page shows of the Kubernetes inventory; the page renders again whenever the inventory changes.</summary>
public abstract class InventoryViewModel : IDisposable
{
    private readonly IKubernetesInventory _inventory;
    private readonly IDisposable _subscription;

    protected InventoryViewModel(IKubernetesInventory inventory, ViewHost host)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(host);
        _inventory = inventory;
        _subscription = inventory.Subscribe(() => _ = host.Render());
    }

    /// <summary>The inventory now: read once per render, so a render sees one snapshot.</summary>
    protected InventorySnapshot Snapshot => _inventory.Current;

    /// <summary>Whether the inventory is in sync with the Kubernetes API, so an absence means the resource is gone.</summary>
    public bool IsConnected => _inventory.Status.State == InventoryState.Connected;

    public void Dispose()
    {
        _subscription.Dispose();
        GC.SuppressFinalize(this);
    }
}
