using Dashboard.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.DashboardApp;

/// <summary>A started <see cref="KubernetesInventory"/> with short backoffs, and awaits on its change notifications.</summary>
internal sealed class InventoryUnderTest : IAsyncDisposable
{
    public static readonly InventoryTimings Fast = new(
        InitialBackoff: TimeSpan.FromMilliseconds(50),
        MaxBackoff: TimeSpan.FromMilliseconds(400),
        Coalesce: TimeSpan.FromMilliseconds(100),
        WatchTimeout: TimeSpan.FromMinutes(5));

    private InventoryUnderTest(KubernetesInventory inventory) => Inventory = inventory;

    public KubernetesInventory Inventory { get; }

    public InventorySnapshot Current => Inventory.Current;

    public static async Task<InventoryUnderTest> StartAsync(string url, InventoryTimings? timings = null)
    {
        var inventory = new KubernetesInventory(
            KubernetesSource.FromUrl(new Uri(url)), NullLogger<KubernetesInventory>.Instance, timings: timings ?? Fast);
        await inventory.StartAsync(TestTimeouts.Token).Within();
        return new InventoryUnderTest(inventory);
    }

    /// <summary>Awaits the notification after which <paramref name="condition"/> holds (or it holds already).</summary>
    public async Task WaitUntilAsync(Func<IKubernetesInventory, bool> condition, string what)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Inventory.Subscribe(() =>
        {
            if (condition(Inventory))
            {
                reached.TrySetResult();
            }
        });
        if (condition(Inventory))
        {
            return;
        }

        try
        {
            await reached.Task.Within();
        }
        catch (TimeoutException)
        {
            var pods = string.Join(", ", Current.Pods.Select(p => $"{p.Namespace}/{p.Name}:{p.Phase}"));
            throw new TimeoutException($"timed out waiting for {what}; status {Inventory.Status}; pods [{pods}]");
        }
    }

    public Task WaitForPodAsync(string @namespace, string name, Func<PodInfo, bool>? condition = null) =>
        WaitUntilAsync(i => i.Current.GetPod(@namespace, name) is { } pod && (condition?.Invoke(pod) ?? true), $"pod {@namespace}/{name}");

    public async ValueTask DisposeAsync()
    {
        await Inventory.StopAsync(CancellationToken.None).Within();
        Inventory.Dispose();
    }
}
