using System.Reflection;
using System.Text.RegularExpressions;
using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Contracts.Metrics;
using Dashboard.Model;
using Dashboard.Proxy.Fleet;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// The Grafana dashboards of docker/grafana: generated, with the uids and variables the dashboard's links use, and
/// asking only for metrics and labels that exist (the proxy's, and those Prometheus adds from discovery).
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly IReadOnlyList<GrafanaDashboard> Dashboards = GrafanaDashboard.All();

    [Fact]
    public async Task The_dashboards_and_their_ConfigMap_are_what_the_generator_makes()
    {
        var result = await Tool.RunAsync("node", ["docker/grafana/generate.mjs", "--check"], TestTimeouts.Slow);

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void There_is_a_dashboard_per_kind_the_dashboard_links_to_and_the_seeds_top_line_and_service()
    {
        Assert.Equal(
            ["linkerd-daemonset", "linkerd-deployment", "linkerd-job", "linkerd-namespace", "linkerd-pod", "linkerd-service", "linkerd-statefulset", "linkerd-top-line"],
            Dashboards.Select(d => d.Uid).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Queries_ask_only_for_what_the_proxy_and_discovery_provide_and_use_only_defined_variables()
    {
        var metrics = typeof(MetricNames).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)
            .Append(MetricNames.ResponseLatencyMs + "_bucket").ToHashSet();
        var labels = typeof(LabelNames).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)
            .Concat(FleetPrometheusDiscovery.Labels("ns", "pod", "deployment").Keys)
            .Concat(Enum.GetValues<WorkloadKind>().Select(k => k.PromLabel()))
            .Append("le").ToHashSet();
        foreach (var dashboard in Dashboards)
        {
            var variables = dashboard.VariableNames.ToHashSet();
            var queries = dashboard.Queries.Select(q => q.Expr).Concat(dashboard.Variables.Select(v => v.GetProperty("query").GetString()!)).ToList();
            Assert.NotEmpty(queries);
            foreach (var query in queries)
            {
                var where = $"{Path.GetFileName(dashboard.File)}: {query}";
                Assert.All(MetricSelector().Matches(query).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value), m => Assert.True(metrics.Contains(m), $"{where}: no metric '{m}'"));
                var used = Matcher().Matches(query).Select(m => m.Groups[1].Value)
                    .Concat(Grouping().Matches(query).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
                Assert.All(used, l => Assert.True(labels.Contains(l), $"{where}: no label '{l}'"));
                Assert.All(Variable().Matches(query).Select(m => m.Groups[1].Value).Where(v => !v.StartsWith("__", StringComparison.Ordinal) && !char.IsAsciiDigit(v[0])),
                    v => Assert.True(variables.Contains(v), $"{where}: no variable '{v}'"));
            }
        }
    }

    /// <summary>The dashboard's own link-building, rendered: each kind's link opens a provisioned dashboard with the variables it sets.</summary>
    [Theory]
    [InlineData(WorkloadKind.Namespace)]
    [InlineData(WorkloadKind.Deployment)]
    [InlineData(WorkloadKind.StatefulSet)]
    [InlineData(WorkloadKind.DaemonSet)]
    [InlineData(WorkloadKind.Job)]
    [InlineData(WorkloadKind.Pod)]
    public void The_dashboards_grafana_link_opens_a_provisioned_dashboard_with_the_variables_it_sets(WorkloadKind kind)
    {
        using var context = new BunitContext();
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var key = kind == WorkloadKind.Namespace ? ResourceKey.ForNamespace("shop") : new ResourceKey(kind, "shop", "api-1");
        var table = context.Render<StatTableView>(p => p.Add(x => x.Kind, kind).Add(x => x.Rows, [new StatTableRow(key, 1, 1, null)])
            .Add(x => x.GrafanaUrl, "http://grafana.example:3000/"));

        var link = new Uri(table.Find("a.grafana").GetAttribute("href")!);
        var uid = link.AbsolutePath[(link.AbsolutePath.LastIndexOf('/') + 1)..];
        Assert.Equal("/d/" + uid, link.AbsolutePath);
        var dashboard = Dashboards.SingleOrDefault(d => d.Uid == uid);
        Assert.True(dashboard is not null, $"{link} names uid '{uid}', which no provisioned dashboard has");
        var set = QueryHelpers.ParseQuery(link.Query);
        foreach (var (name, values) in set)
        {
            Assert.StartsWith("var-", name, StringComparison.Ordinal);
            Assert.Contains(name[4..], dashboard.VariableNames);
            Assert.Single(values.Distinct());
        }

        Assert.Equal("shop", set["var-namespace"][0]);
        Assert.Equal(key.Name, set["var-" + dashboard.VariableNames[^1]][0]);
        Assert.All(dashboard.VariableNames, v => Assert.True(set.ContainsKey("var-" + v), $"{link} sets {v}"));
        Assert.Contains(dashboard.Queries, q => q.Expr.Contains($"{kind.PromLabel()}=\"${dashboard.VariableNames[^1]}\"", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\{|label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)[,)]")]
    private static partial Regex MetricSelector();

    [GeneratedRegex(@"[{,]\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*""")]
    private static partial Regex Matcher();

    [GeneratedRegex(@"\b(?:by|on|without|ignoring)\s*\(([^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{?(\w+)")]
    private static partial Regex Variable();
}
