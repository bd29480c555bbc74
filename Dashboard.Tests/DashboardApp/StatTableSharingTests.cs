using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Dashboard.Tests.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.DashboardApp;

/// <summary>
/// Viewers of the same table share one: one build (two queries) however many ask at once, the same rows for all
/// while the answers are fresh, a new build when the answers age or the inventory changes.
/// </summary>
public sealed class StatTableSharingTests : IAsyncDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly HttpClient _http = new() { Timeout = TestTimeouts.Default };
    private readonly SwitchableInventory _inventory = new();
    private FakePrometheus _prometheus = null!;

    private async Task<StatTableService> StartAsync()
    {
        _prometheus = await FakePrometheus.StartAsync((context, _) => FakePrometheus.WriteAsync(context, FakePrometheus.Vector()));
        _inventory.Current = Inventory(1, "web");
        return new StatTableService(_inventory, new MetricsService(new PrometheusClient(_http, _prometheus.Url), new QueryCache(_time, Refresh)), _time);
    }

    private static InventorySnapshot Inventory(long version, params string[] pods) => InventorySnapshotBuilder.Build(version, ["default"], [],
        new Dictionary<(string, string), ReplicaSetRecord>(),
        [.. pods.Select(p => new PodRecord("default", p, "Running", true, false, null, null, "10.0.0.1", new Dictionary<string, string>()))]);

    [Fact]
    public async Task Eleven_viewers_asking_at_once_get_one_table_from_one_round_of_queries()
    {
        var tables = await StartAsync();

        var loads = await Task.WhenAll(Enumerable.Range(0, 11)
            .Select(_ => tables.LoadAsync(WorkloadKind.Pod, "default", StatWindow.Default, TestTimeouts.Token))).Within();

        Assert.All(loads, table => Assert.Same(loads[0], table));
        Assert.Equal(MetricsService.QueriesPerTable, _prometheus.Queries.Count);
        Assert.Equal(["web"], loads[0].Rows.Select(r => r.Name));
    }

    [Fact]
    public async Task A_table_is_rebuilt_when_its_answers_age_or_the_inventory_changes()
    {
        var tables = await StartAsync();
        var ct = TestTimeouts.Token;
        var first = await tables.LoadAsync(WorkloadKind.Pod, "default", StatWindow.Default, ct).Within();

        _time.Advance(Refresh / 2);
        Assert.Same(first, await tables.LoadAsync(WorkloadKind.Pod, "default", StatWindow.Default, ct).Within());

        // A pod appeared: new rows at once, from the answers still in the query cache.
        _inventory.Current = Inventory(2, "web", "api");
        var grown = await tables.LoadAsync(WorkloadKind.Pod, "default", StatWindow.Default, ct).Within();
        Assert.Equal(["api", "web"], grown.Rows.Select(r => r.Name).Order());
        Assert.Equal(MetricsService.QueriesPerTable, _prometheus.Queries.Count);

        _time.Advance(Refresh);
        var later = await tables.LoadAsync(WorkloadKind.Pod, "default", StatWindow.Default, ct).Within();
        Assert.NotSame(grown, later);
        Assert.Equal(2 * MetricsService.QueriesPerTable, _prometheus.Queries.Count);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _prometheus.DisposeAsync();
    }

    private sealed class SwitchableInventory : IKubernetesInventory
    {
        public InventorySnapshot Current { get; set; } = InventorySnapshot.Empty;

        public InventoryStatus Status { get; } = new(InventoryState.Connected, "http://127.0.0.1:6443", null, null);

        public IDisposable Subscribe(Action onChange) => new Subscription();

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private sealed class Subscription : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
