using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Configuration;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Dashboard.Tests.Metrics;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Dashboard.Tests.Components;

/// <summary>
/// The live table's refresh loop on a fake clock against a fake Prometheus on loopback: one round of two queries
/// per refresh interval while the tab is visible, none while it is hidden, one at once when it shows again.
/// </summary>
public sealed class StatTablePanelTests : IAsyncDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);
    private readonly BunitContext _context = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly HttpClient _http = new() { Timeout = TestTimeouts.Default };
    private FakePrometheus _prometheus = null!;

    private async Task<IRenderedComponent<StatTablePanel>> RenderAsync(bool interactive, InventorySnapshot? inventory = null, WorkloadKind kind = WorkloadKind.Deployment)
    {
        _prometheus = await FakePrometheus.StartAsync((context, _) => FakePrometheus.WriteAsync(context, FakePrometheus.Vector()));
        var settings = new DashboardSettings(
            new PrometheusSettings(_prometheus.Url, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
            KubernetesSource.Default, null, Refresh, [], "", null);
        _context.Services.AddMudServices();
        _context.Services.AddSingleton<TimeProvider>(_time);
        _context.Services.AddSingleton(settings);
        _context.Services.AddSingleton<IKubernetesInventory>(new FixedInventory(inventory ?? InventorySnapshot.Empty));
        _context.Services.AddSingleton(new MetricsService(new PrometheusClient(_http, _prometheus.Url), new QueryCache(_time, Refresh)));
        _context.Services.AddSingleton<StatTableService>();
        _context.Services.AddScoped<PageVisibility>();
        _context.Renderer.SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", interactive));
        return _context.Render<StatTablePanel>(p => p
            .Add(x => x.Kind, kind)
            .Add(x => x.Namespace, "default")
            .Add(x => x.Window, StatWindow.Default));
    }

    private void WaitForQueries(IRenderedComponent<StatTablePanel> cut, int count) =>
        cut.WaitForAssertion(() => Assert.Equal(count, _prometheus.Queries.Count), TestTimeouts.Default);

    [Fact]
    public async Task Refreshes_every_interval_while_visible_pauses_while_hidden_and_refreshes_when_shown()
    {
        var cut = await RenderAsync(interactive: true);
        WaitForQueries(cut, MetricsService.QueriesPerTable);
        cut.WaitForAssertion(() => Assert.Contains("No deployments in namespace default.", cut.Markup), TestTimeouts.Default);

        _time.Advance(Refresh);
        WaitForQueries(cut, 2 * MetricsService.QueriesPerTable);

        var visibility = _context.Services.GetRequiredService<PageVisibility>();
        visibility.SetVisible(false);
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(Refresh);
        }

        // Showing the tab refreshes at once; had the hidden ticks queried, the count would be past three rounds.
        visibility.SetVisible(true);
        WaitForQueries(cut, 3 * MetricsService.QueriesPerTable);
        _time.Advance(Refresh);
        WaitForQueries(cut, 4 * MetricsService.QueriesPerTable);
    }

    [Fact]
    public async Task A_prerendered_table_loads_once_and_starts_no_loop()
    {
        var cut = await RenderAsync(interactive: false);
        WaitForQueries(cut, MetricsService.QueriesPerTable);
        cut.WaitForAssertion(() => Assert.Contains("No deployments in namespace default.", cut.Markup), TestTimeouts.Default);

        _time.Advance(Refresh);
        _time.Advance(Refresh);

        // The interactive render of the same page finds the table the prerender loaded: no second round for it.
        var tables = _context.Services.GetRequiredService<StatTableService>();
        Assert.NotNull(tables.Recent(WorkloadKind.Deployment, "default", StatWindow.Default));
        Assert.Equal(MetricsService.QueriesPerTable, _prometheus.Queries.Count);
    }

    [Fact]
    public async Task Meshed_pods_that_Prometheus_does_not_scrape_are_explained_as_such()
    {
        var pod = new PodRecord("default", "web-1", "Running", true, true, null, null, "10.0.0.1", new Dictionary<string, string>());
        var snapshot = InventorySnapshotBuilder.Build(1, ["default"], [], new Dictionary<(string, string), ReplicaSetRecord>(), [pod]);

        var cut = await RenderAsync(interactive: true, snapshot, WorkloadKind.Pod);

        cut.WaitForAssertion(() => Assert.Contains(
            "Prometheus scrapes no proxy in namespace default: the meshed pods' admin ports are not among its targets.",
            cut.Find(".empty-reason").TextContent), TestTimeouts.Default);
        Assert.Contains("""count(proxy_build_info{namespace="default"})""", _prometheus.Queries);
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        _http.Dispose();
        await _prometheus.DisposeAsync();
    }

    private sealed class FixedInventory(InventorySnapshot snapshot) : IKubernetesInventory
    {
        public InventorySnapshot Current => snapshot;

        public InventoryStatus Status { get; } = new(InventoryState.Connected, "http://127.0.0.1:6443", null, null);

        public IDisposable Subscribe(Action onChange) => new NoSubscription();

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private sealed class NoSubscription : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
