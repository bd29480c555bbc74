using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Investigation;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Dashboard.Tests.Metrics;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Dashboard.Tests.DashboardApp;

/// <summary>A table's rows that had spike episodes carry a badge linking to their spike panel; a failure to find them costs the badges, never the table.</summary>
public sealed class StatTableBadgesTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-03T06:15:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly HttpClient _http = new() { Timeout = TestTimeouts.Default };
    private readonly BunitContext _context = new();
    private FakePrometheus _prometheus = null!;

    private async Task<StatTableService> StartAsync(IInvestigator investigator)
    {
        _prometheus = await FakePrometheus.StartAsync((context, _) => FakePrometheus.WriteAsync(context, FakePrometheus.Vector()));
        var inventory = InventorySnapshotBuilder.Build(1, ["default"], [], new Dictionary<(string, string), ReplicaSetRecord>(),
            [.. new[] { "web-1", "web-2" }.Select(p => new PodRecord("default", p, "Running", true, true, null, null, "10.0.0.1", new Dictionary<string, string>()))]);
        return new StatTableService(new Dashboard.Tests.Tap.FixedInventory(inventory),
            new MetricsService(new PrometheusClient(_http, _prometheus.Url), new QueryCache(_time, TimeSpan.FromSeconds(2))), _time, logger: null, investigator);
    }

    [Fact]
    public async Task A_row_with_episodes_links_to_its_spike_panel()
    {
        var tables = await StartAsync(new Episodes(new() { [new ResourceKey(WorkloadKind.Pod, "default", "web-2")] = 3 }));

        var table = await tables.LoadAsync(WorkloadKind.Pod, "default", StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Equal([("web-1", null), ("web-2", new SpikeBadge(3, StatWindow.FromSeconds(900)))], table.Rows.Select(r => (r.Name, r.Spikes)));
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Renderer.SetRendererInfo(new RendererInfo("Server", true));
        var cut = _context.Render<StatTableView>(p => p.Add(x => x.Kind, WorkloadKind.Pod).Add(x => x.Rows, table.Rows));
        Assert.Empty(cut.Find("tr[data-name='web-1']").QuerySelectorAll("a.spike-badge"));
        var badge = cut.Find("tr[data-name='web-2'] a.spike-badge");
        Assert.Equal(("3 spikes", "namespaces/default/pods/web-2#spikes", "3 spikes in the last 15m: see why"),
            (badge.TextContent, badge.GetAttribute("href"), badge.GetAttribute("title")));
    }

    [Fact]
    public async Task Episodes_prometheus_cannot_find_leave_the_table_whole_without_badges()
    {
        var tables = await StartAsync(new Episodes(null));

        var table = await tables.LoadAsync(WorkloadKind.Pod, "default", StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Equal(["web-1", "web-2"], table.Rows.Select(r => r.Name));
        Assert.All(table.Rows, r => Assert.Null(r.Spikes));
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        _http.Dispose();
    }

    /// <summary>Answers the badges' question with <paramref name="rows"/>; fails as Prometheus would when null.</summary>
    private sealed class Episodes(Dictionary<ResourceKey, int>? rows) : IInvestigator
    {
        public Task<Diagnosis> InvestigateAsync(ResourceKey resource, StatWindow lookback, DateTimeOffset? at, CancellationToken cancellationToken) =>
            throw new NotSupportedException("tables ask only for episodes by row");

        public Task<IReadOnlyDictionary<ResourceKey, int>> EpisodesByRowAsync(WorkloadKind kind, string? @namespace, StatWindow lookback, CancellationToken cancellationToken) =>
            rows is null
                ? Task.FromException<IReadOnlyDictionary<ResourceKey, int>>(new PrometheusQueryException("q", "bad_data", "parse error", 400))
                : Task.FromResult<IReadOnlyDictionary<ResourceKey, int>>(rows);
    }
}
