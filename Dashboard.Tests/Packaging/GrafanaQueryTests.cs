using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Tests.Fleet;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// Every PromQL expression of every Grafana dashboard, with its variables set to a workload of a running fleet, runs
/// against the real Prometheus scraping that fleet; the Deployment dashboard shows numbers for <c>ml</c>.
/// </summary>
public sealed partial class GrafanaQueryTests(GrafanaQueryTests.Fixture fixture) : IClassFixture<GrafanaQueryTests.Fixture>
{
    public sealed class Fixture : FleetFixture
    {
        protected override byte IpOctet => 40;
    }

    private static readonly IReadOnlyList<GrafanaDashboard> Dashboards = GrafanaDashboard.All();
    private static readonly GrafanaDashboard Deployment = Dashboards.Single(d => d.Uid == "linkerd-deployment");

    /// <summary>What a user picks in Grafana's variable menus; Grafana's own $__rate_interval is at least four scrapes.</summary>
    private Dictionary<string, string> Variables => new()
    {
        ["namespace"] = "default",
        ["deployment"] = "ml",
        ["pod"] = fixture.Fleet.Topology.Pods.First(p => p.Deployment?.Name == "ml").Name,
        ["service"] = "ml",
        ["statefulset"] = "db",
        ["daemonset"] = "agent",
        ["job"] = "migrate",
        ["__rate_interval"] = "30s",
    };

    [Fact]
    public async Task Every_query_and_variable_of_every_dashboard_runs_without_error()
    {
        await DeploymentNumbersAsync();
        var time = Now();
        var failures = new List<string>();
        foreach (var dashboard in Dashboards)
        {
            foreach (var query in dashboard.Queries)
            {
                var (error, _) = await QueryAsync(Substitute(query.Expr), time);
                if (error is not null)
                {
                    failures.Add($"{dashboard.Uid} / {query.Row} / {query.Panel}: {error}\n  {query.Expr}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Variable menus list the fleet's workloads.
        var expected = Variables;
        foreach (var variable in Dashboards.SelectMany(d => d.Variables).Where(v => v.GetProperty("name").GetString() is "namespace" or "deployment" or "pod" or "service"))
        {
            var labelValues = LabelValues().Match(variable.GetProperty("query").GetString()!);
            var (error, result) = await QueryAsync($"group by ({labelValues.Groups[2].Value}) ({Substitute(labelValues.Groups[1].Value)})", time);
            Assert.Null(error);
            var name = variable.GetProperty("name").GetString()!;
            Assert.Contains(expected[name], result.EnumerateArray().Select(s => s.GetProperty("metric").GetProperty(labelValues.Groups[2].Value).GetString()));
        }
    }

    [Fact]
    public async Task The_deployment_dashboard_shows_ml_its_callers_and_its_latency()
    {
        var panels = await DeploymentNumbersAsync();

        Assert.Contains(panels, p => p.Panel == "Success rate" && p.Row is null);
        Assert.Contains(panels, p => p.Panel == "Requests per second" && p.Row is null);
        Assert.Contains(panels, p => p.Panel == "P99 latency");
        Assert.Contains(panels, p => p.Row?.StartsWith("Inbound", StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// StatefulSets, DaemonSets and Jobs have no dst_&lt;kind&gt; label: their dashboards find callers through the
    /// workload's pods. Pointed at ml's pods, that join gives exactly what dst_deployment="ml" gives.
    /// </summary>
    [Fact]
    public async Task Kinds_without_a_destination_label_find_their_callers_through_their_pods()
    {
        await DeploymentNumbersAsync();
        var statefulSet = Dashboards.Single(d => d.Uid == "linkerd-statefulset").Queries.Where(Inbound).ToList();
        var deployment = Deployment.Queries.Where(Inbound).ToList();
        Assert.Equal(deployment.Select(q => q.Panel), statefulSet.Select(q => q.Panel));
        var time = Now();

        for (var i = 0; i < deployment.Count; i++)
        {
            var (_, byDstLabel) = await QueryAsync(Substitute(deployment[i].Expr), time);
            var (error, byPods) = await QueryAsync(Substitute(statefulSet[i].Expr.Replace("statefulset=\"$statefulset\"", "deployment=\"$deployment\"", StringComparison.Ordinal)), time);
            Assert.Null(error);
            Assert.NotEmpty(Series(byDstLabel));
            Assert.Equal(Series(byDstLabel).Keys.Order(), Series(byPods).Keys.Order());
            foreach (var (series, value) in Series(byDstLabel))
            {
                Assert.Equal(value, Series(byPods)[series], 6);
            }
        }
    }

    private static bool Inbound(PanelQuery query) => query.Row?.StartsWith("Inbound", StringComparison.Ordinal) == true;

    /// <summary>Waits until every query of the Deployment dashboard's top and inbound rows has a number for ml; returns them.</summary>
    private async Task<IReadOnlyList<PanelQuery>> DeploymentNumbersAsync()
    {
        var queries = Deployment.Queries.Where(q => q.Row is null || Inbound(q)).ToList();
        var missing = "";
        await TestTimeouts.Eventually(async () =>
        {
            foreach (var query in queries)
            {
                var (error, result) = await QueryAsync(Substitute(query.Expr), Now());
                Assert.Null(error);
                if (!Series(result).Values.Any(double.IsFinite))
                {
                    missing = $"{query.Row} / {query.Panel}: {query.Expr}";
                    return false;
                }
            }

            return true;
        }, $"numbers for ml on the Deployment dashboard (last missing: {missing})", TestTimeouts.Slow);
        return queries;
    }

    private string Substitute(string expr) =>
        GrafanaVariable().Replace(expr, m => Variables.TryGetValue(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, out var value) ? value : m.Value);

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)[..^3];

    /// <summary>An instant query: its error as Prometheus words it (null when it ran) and its result.</summary>
    private async Task<(string? Error, JsonElement Result)> QueryAsync(string promql, string time)
    {
        using var http = new HttpClient { BaseAddress = fixture.Prometheus.Url, Timeout = TestTimeouts.Default };
        using var response = await http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(promql)}&time={time}", TestTimeouts.Token).Within();
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token)).RootElement.Clone();
        return body.GetProperty("status").GetString() == "success"
            ? (null, body.GetProperty("data").GetProperty("result"))
            : ($"{body.GetProperty("errorType").GetString()}: {body.GetProperty("error").GetString()}", default);
    }

    /// <summary>A vector result by its labels, rendered as text, with its value (NaN included).</summary>
    private static Dictionary<string, double> Series(JsonElement result) => result.EnumerateArray().ToDictionary(
        s => ClusterRelabelTests.Line(s.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)),
        s => double.Parse(s.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\$\{(\w+)\}|\$(\w+)")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"^label_values\((.+),\s*(\w+)\)$")]
    private static partial Regex LabelValues();
}
