using System.Globalization;
using System.Text.Json;
using Dashboard.Cli;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Cli;

/// <summary>
/// <c>stat</c> and the dashboard give the same numbers for the same window: the CLI's JSON and table against the
/// dashboard's own table service (its inventory and metrics service), both evaluated at one instant (<c>--at</c>).
/// </summary>
[Collection(CliFleetCollection.Name)]
public sealed class StatAgreementTests(CliFleetFixture fleet)
{
    [Fact]
    public async Task Stat_json_and_table_equal_the_dashboards_table_for_the_same_window()
    {
        await fleet.WaitForWindowAsync(30);
        // A moment Prometheus has finished scraping, so both sides read the same samples.
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3);
        var atText = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var window = StatWindow.Parse("30s");

        var json = await fleet.RunAsync("stat", "deploy", "-t", "30s", "--at", atText, "-o", "json");
        var table = await fleet.RunAsync("stat", "deploy", "-t", "30s", "--at", atText);
        var dashboard = await DashboardTableAsync(window, at);

        var cli = JsonDocument.Parse(json.Out).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        var rows = dashboard.Rows.Where(r => r.IsMeshed).ToList();
        Assert.Equal(rows.Select(r => r.Name).Order(), cli.Keys.Order());
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToDictionary(l => l.Split(' ')[0]);
        foreach (var row in rows)
        {
            var stats = row.Stats!;
            var element = cli[row.Name];
            Assert.Equal(row.Meshed, element.GetProperty("meshed").GetString());
            Assert.Equal(stats.SuccessRate, element.GetProperty("success").GetDouble());
            Assert.Equal(stats.Rps, element.GetProperty("rps").GetDouble());
            Assert.Equal(stats.P50Ms, element.GetProperty("latency_ms_p50").GetDouble());
            Assert.Equal(stats.P95Ms, element.GetProperty("latency_ms_p95").GetDouble());
            Assert.Equal(stats.P99Ms, element.GetProperty("latency_ms_p99").GetDouble());
            Assert.Equal(stats.TlsShare, element.GetProperty("tls").GetDouble());
            Assert.Equal(stats.Total, element.GetProperty("requests").GetDouble());

            // The table prints what the dashboard's pages print for these numbers.
            Assert.Equal(
                [row.Name, row.Meshed, StatFormat.SuccessRate(stats.SuccessRate), StatFormat.Rps(stats.Rps), StatFormat.Latency(stats.P50Ms),
                    StatFormat.Latency(stats.P95Ms), StatFormat.Latency(stats.P99Ms), StatFormat.TlsShare(stats.TlsShare)],
                lines[row.Name].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    /// <summary>The table the dashboard's Deployments page loads: its inventory and its metrics service, as the app wires them.</summary>
    private async Task<StatTable> DashboardTableAsync(StatWindow window, DateTimeOffset at)
    {
        using var inventory = new KubernetesInventory(KubernetesSource.FromUrl(fleet.Api), NullLogger<KubernetesInventory>.Instance);
        await inventory.StartAsync(TestTimeouts.Token).Within();
        try
        {
            await inventory.WaitForSyncAsync(TestTimeouts.Token).Within();
            using var http = new HttpClient { Timeout = TestTimeouts.Default };
            var metrics = new MetricsService(new PrometheusClient(http, fleet.Prometheus.Url), new QueryCache(TimeProvider.System));
            return await new StatTableService(inventory, metrics, TimeProvider.System).LoadAsync(WorkloadKind.Deployment, "default", window, at, TestTimeouts.Token).Within();
        }
        finally
        {
            await inventory.StopAsync(CancellationToken.None).Within();
        }
    }
}
