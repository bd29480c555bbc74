using System.Globalization;
using Dashboard.Configuration;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Dashboard.Tests.Metrics;
using Dashboard.Tests.Tap;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Model;

/// <summary>
/// A live stat table's state on plain objects against a fake Prometheus: rows from the inventory until numbers come,
/// filtered and sorted, counted and explained; one load when prerendering; the last numbers kept, with their age and
/// the reason, when Prometheus fails.
/// </summary>
public sealed class StatTableViewModelTests : IAsyncDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", CultureInfo.InvariantCulture));
    private readonly HttpClient _http = new() { Timeout = TestTimeouts.Default };
    private readonly System.Threading.Channels.Channel<bool> _renders = System.Threading.Channels.Channel.CreateUnbounded<bool>();
    private FakePrometheus _prometheus = null!;
    private volatile bool _prometheusDown;

    private async Task<StatTableViewModel> CreateAsync(WorkloadKind kind = WorkloadKind.Deployment)
    {
        _prometheus = await FakePrometheus.StartAsync((context, _) => _prometheusDown
            ? FakePrometheus.WriteAsync(context, "down", StatusCodes.Status503ServiceUnavailable)
            : FakePrometheus.WriteAsync(context, FakePrometheus.Vector()));
        var settings = new DashboardSettings(
            new PrometheusSettings(_prometheus.Url, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)), KubernetesSource.Default, null, Refresh, [], "", null);
        var inventory = new FixedInventory(TapData.Snapshot());
        var tables = new StatTableService(inventory, new MetricsService(new PrometheusClient(_http, _prometheus.Url), new QueryCache(_time, Refresh)), _time);
        var host = new ViewHost(work => work(), () => Task.FromResult(_renders.Writer.TryWrite(true)), e => Task.FromException(e));
        return new StatTableViewModel(tables, inventory, settings, _time, new PageVisibility(), host)
        {
            Scope = TableScope.Members(kind, "default"),
        };
    }

    private async Task NextRenderAsync() => await _renders.Reader.ReadAsync(TestTimeouts.Token).AsTask().Within();

    [Fact]
    public async Task Before_numbers_come_the_rows_are_the_inventorys_filtered_sorted_and_counted()
    {
        await using var model = await CreateAsync(WorkloadKind.Pod);

        Assert.Equal(["bare", "legacy-1", "web-1", "web-2"], model.VisibleRows.Select(r => r.Name));
        Assert.All(model.VisibleRows, r => Assert.Null(r.Stats));
        Assert.Equal("Loading…", model.EmptyText);

        model.Filter = "web*";
        model.Descending = true;
        Assert.Equal(["web-2", "web-1"], model.VisibleRows.Select(r => r.Name));
        Assert.Equal("2 of 4 pods match 'web*'", model.CountText);

        model.Filter = "web-1";
        Assert.Equal("1 of 4 pods match 'web-1'", model.CountText);
        model.Filter = "nothing*";
        Assert.Equal("No pods match 'nothing*'.", model.EmptyText);
        Assert.Empty(_prometheus.Queries);
    }

    [Fact]
    public async Task A_prerender_loads_once_and_starts_no_loop()
    {
        await using var model = await CreateAsync();

        await model.InitializeAsync(interactive: false).Within();
        var asked = _prometheus.Queries.Count;
        _time.Advance(Refresh);
        await model.RefreshIfChangedAsync().Within();

        Assert.False(model.IsLive);
        Assert.NotNull(model.Table);
        // And one more: web is meshed without numbers, so the table asks whether Prometheus scrapes its proxies at all.
        Assert.Equal(MetricsService.QueriesPerTable + 1, asked);
        Assert.Equal(asked, _prometheus.Queries.Count);
        Assert.Equal(["legacy", "web"], model.VisibleRows.Select(r => r.Name));
    }

    [Fact]
    public async Task When_prometheus_fails_the_last_numbers_stay_with_their_age_and_the_reason()
    {
        await using var model = await CreateAsync();
        await model.InitializeAsync(interactive: true).Within();
        await NextRenderAsync();
        var loaded = model.Table;
        Assert.NotNull(loaded);
        Assert.Null(model.Error);

        _prometheusDown = true;
        _time.Advance(Refresh);
        await NextRenderAsync();

        Assert.Same(loaded, model.Table);
        Assert.Equal($"Prometheus at {PrometheusUnavailableException.Display(_prometheus.Url)} is unreachable: it answered HTTP 503 Service Unavailable, which is not Prometheus' query API", model.Error);
        Assert.Equal("2s", model.Age(loaded!.LoadedAt));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _prometheus.DisposeAsync();
    }
}
