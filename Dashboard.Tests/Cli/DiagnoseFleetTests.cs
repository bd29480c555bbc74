using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Cli;
using Dashboard.Cli.Diagnose;

namespace Dashboard.Tests.Cli;

/// <summary>
/// <c>diagnose</c> against the real fleet and Prometheus: the JSON contract's shape exactly and the report's structure
/// (its header and section titles). Whether the steady fleet has an episode in two minutes is chance, so neither the
/// episodes nor the numbers are golden here; <see cref="DiagnoseTests"/> has the golden output.
/// </summary>
[Collection(CliFleetCollection.Name)]
public sealed partial class DiagnoseFleetTests(CliFleetFixture fleet)
{
    private static readonly string[] TopLevel = ["resource", "namespace", "lookback", "summary", "episodes", "outliers", "breakdown"];

    [Fact]
    public async Task Json_has_exactly_the_contracts_keys()
    {
        await fleet.WaitForWindowAsync(30);
        var run = await fleet.RunAsync("diagnose", "deploy/test-2", "-n", "default", "--lookback", "2m", "-o", "json");

        Assert.True((ExitCodes.Success, "") == (run.ExitCode, run.Error), run.ToString());
        var root = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(TopLevel, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("deployment/test-2", "default", "2m"),
            (root.GetProperty("resource").GetString(), root.GetProperty("namespace").GetString(), root.GetProperty("lookback").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("summary").GetString()));
        foreach (var episode in root.GetProperty("episodes").EnumerateArray())
        {
            Assert.Equal(["start", "end", "metric", "baseline", "peak", "recurrenceSeconds", "causes"], episode.EnumerateObject().Select(p => p.Name));
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", episode.GetProperty("start").GetString());
            Assert.Contains(episode.GetProperty("metric").GetString(), new[] { "p99", "p95", "failureRate" });
            Assert.All(episode.GetProperty("causes").EnumerateArray(), c => Assert.Equal(["kind", "name", "evidence"], c.EnumerateObject().Select(p => p.Name)));
        }

        Assert.All(root.GetProperty("outliers").EnumerateArray(), o => Assert.Equal(["pod", "metric", "value", "siblingsMedian"], o.EnumerateObject().Select(p => p.Name)));
        // test-2 calls test-1: its one downstream, in its own namespace.
        var breakdown = root.GetProperty("breakdown").EnumerateArray().ToList();
        Assert.All(breakdown, b => Assert.Equal(["downstream", "namespace", "p95Ms", "shareOfP95"], b.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(["deployment/test-1"], breakdown.Select(b => b.GetProperty("downstream").GetString()));
    }

    [Fact]
    public async Task The_report_has_its_header_and_every_section()
    {
        await fleet.WaitForWindowAsync(30);
        var run = await fleet.RunAsync("diagnose", "deploy", "test-2", "--lookback", "2m");

        Assert.True((ExitCodes.Success, "") == (run.ExitCode, run.Error), run.ToString());
        var lines = run.Out.Split('\n');
        Assert.EndsWith(".", lines[0], StringComparison.Ordinal);
        Assert.Equal("", lines[1]);
        Assert.Matches(Header(), lines[2]);
        Assert.Equal(DiagnosePrinter.Sections, lines.Where(l => DiagnosePrinter.Sections.Contains(l)));
        Assert.Contains("\nBREAKDOWN\nDOWNSTREAM          NAMESPACE", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"\ndeployment/test-1   default     +\S+ +\S+\n", run.Out);
    }

    [Fact]
    public async Task A_resource_that_does_not_exist_fails_with_exit_1()
    {
        var run = await fleet.RunAsync("diagnose", "deploy/nope", "--lookback", "1m");

        Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
        Assert.Equal("error: deployment \"nope\" not found in namespace \"default\"\n", run.Error);
    }

    [Fact]
    public async Task An_unreachable_prometheus_fails_with_exit_1_and_the_reason()
    {
        var prometheus = $"http://127.0.0.1:{TestPorts.Free()}";
        var run = await CliRun.RunAsync("diagnose", "deploy/test-2", "--server", fleet.Api.ToString(), "--prometheus", prometheus);

        Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
        Assert.Equal($"error: Prometheus at {prometheus} is unreachable: Connection refused\n", run.Error);
    }

    [GeneratedRegex(@"^deployment/test-2 in default, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d–(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d UTC \(step \d+s\)$")]
    private static partial Regex Header();
}
