using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Cli;

namespace Dashboard.Tests.Cli;

/// <summary><c>dashboard graph</c> against the fleet and Prometheus: its edges as a table, the export's JSON and DOT, and its errors.</summary>
[Collection(CliFleetCollection.Name)]
public sealed partial class GraphVerbTests(CliFleetFixture fleet)
{
    [Fact]
    public async Task The_table_lists_each_edge_of_the_namespace_with_its_numbers_and_tls()
    {
        await fleet.WaitForWindowAsync(15);
        var run = await fleet.RunAsync("graph", "-n", "default", "-t", "15s");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Error);
        var lines = run.Out.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^SRC\s+DST\s+SRC_NS\s+DST_NS\s+RPS\s+SUCCESS\s+P95\s+TLS$", lines[0]);
        var rows = lines.Skip(1).Select(l => Columns().Split(l.Trim())).ToList();
        Assert.Equal(
            ["deployment/test-1 deployment/ml default default", "deployment/test-2 deployment/test-1 default default", "unmeshed clients deployment/test-2 - default"],
            rows.Select(r => string.Join(" ", r[..4])).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Matches(@"^\d+(\.\d+)?rps$", r[4]));
        Assert.All(rows, r => Assert.Matches(@"^\d+\.\d\d%$", r[5]));
        Assert.Equal(["true", "true", "false (no_tls_from_remote)"], rows.OrderBy(r => r[0], StringComparer.Ordinal).Select(r => r[7]));
    }

    [Fact]
    public async Task Json_is_the_exports_contract_and_dot_is_graphviz()
    {
        await fleet.WaitForWindowAsync(15);
        var json = await fleet.RunAsync("graph", "-n", "default", "-t", "15s", "-o", "json");
        var dot = await fleet.RunAsync("graph", "-A", "-t", "15s", "-o", "dot");

        Assert.Equal(ExitCodes.Success, json.ExitCode);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(["default/deployment/ml", "default/deployment/test-1", "default/deployment/test-2", "unmeshed"],
            document.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(3, document.RootElement.GetProperty("edges").GetArrayLength());
        Assert.Equal(ExitCodes.Success, dot.ExitCode);
        Assert.StartsWith("digraph mesh {\n", dot.Out, StringComparison.Ordinal);
        Assert.Contains("\"default/deployment/test-2\" -> \"default/deployment/test-1\"", dot.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "graph", "-n", "Default" }, "error: --namespace 'Default' is not a namespace name")]
    [InlineData(new[] { "graph", "-t", "soon" }, "error: --time-window 'soon' is not ")]
    [InlineData(new[] { "graph", "-A", "-n", "default" }, "error: --all-namespaces and --namespace: give at most one")]
    [InlineData(new[] { "stat", "deploy", "-o", "dot" }, "error: --output dot is what graph prints; stat prints table, wide or json")]
    public async Task Bad_options_are_usage_errors_naming_the_option(string[] args, string message)
    {
        var run = await fleet.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith(message, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Columns();
}
