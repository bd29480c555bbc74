using Dashboard.Configuration;
using Dashboard.Kubernetes;
using Dashboard.Tap;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Tap;

/// <summary>
/// Starts real <see cref="TapSession"/>s without proxies: a test feeds their buffer with events, as the pod streams would.
/// </summary>
internal sealed class FakeTapService(TapAvailability availability, TimeProvider time) : ITapService
{
    public TapAvailability Availability => availability;

    public List<TapQuery> Started { get; } = [];

    public TapSession? Last { get; private set; }

    public static DashboardSettings Settings(string? token = "t0ken") =>
        DashboardOptionsParser.Parse(new DashboardOptions { Tap = new TapOptions { Token = token } }, DashboardEnvironment.Local).Settings!;

    public TapSession Start(TapQuery query)
    {
        if (availability.Disabled is { } off)
        {
            throw new InvalidOperationException(off);
        }

        Started.Add(query);
        Last = new TapSession(query, new TapTargets([], []), new TapConnectionOptions("t0ken"), time, NullLogger.Instance);
        return Last;
    }

    /// <summary>Puts events into the last session, as if its pods' proxies sent them.</summary>
    public void Send(params TappedEvent[] events)
    {
        foreach (var e in events)
        {
            Last!.Publish(e);
        }
    }
}

/// <summary>An inventory that holds one snapshot.</summary>
internal sealed class FixedInventory(InventorySnapshot snapshot) : IKubernetesInventory
{
    public InventorySnapshot Current => snapshot;

    public InventoryStatus Status { get; } = new(InventoryState.Connected, "http://kube.test", null, DateTimeOffset.UnixEpoch);

    public IDisposable Subscribe(Action onChange) => new NoSubscription();

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class NoSubscription : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
