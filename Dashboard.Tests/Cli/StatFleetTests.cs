using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Cli;
using Dashboard.Cli.Stat;

namespace Dashboard.Tests.Cli;

/// <summary>
/// <c>stat</c> against the real fleet and Prometheus: the table's structure exactly (numbers checked by their
/// format and alignment, since they move), names, MESHED, notes and exit codes exactly.
/// </summary>
[Collection(CliFleetCollection.Name)]
public sealed partial class StatFleetTests(CliFleetFixture fleet)
{
    [Fact]
    public async Task Deployments_show_the_seeds_table_with_every_meshed_deployment()
    {
        await fleet.WaitForWindowAsync(15);
        var run = await fleet.RunAsync("stat", "deploy", "-t", "15s");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Error);
        var rows = AssertTable(run.Out, StatPrinter.Columns);
        Assert.Equal(["ml", "test-1", "test-2"], rows.Select(r => r[0]));
        Assert.Equal(["2/2", "1/1", "1/1"], rows.Select(r => r[1]));
        Assert.All(rows, AssertNumbers);
    }

    [Fact]
    public async Task Wide_adds_counts_and_unmeshed_adds_the_deployment_without_a_proxy()
    {
        await fleet.WaitForWindowAsync(15);
        var run = await fleet.RunAsync("stat", "deploy", "-t", "15s", "-o", "wide", "--unmeshed");

        var rows = AssertTable(run.Out, [.. StatPrinter.Columns, .. StatPrinter.WideColumns]);
        Assert.Equal(["legacy", "ml", "test-1", "test-2"], rows.Select(r => r[0]));
        Assert.Equal(["legacy", "0/1", "-", "-", "-", "-", "-", "-", "-", "-"], rows[0]);
        Assert.All(rows.Skip(1), r => Assert.Matches(@"^\d+$", r[8]));
    }

    [Fact]
    public async Task A_named_resource_without_a_proxy_shows_dashes_and_says_why()
    {
        var run = await fleet.RunAsync("stat", "deploy", "legacy");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("""
            NAME     MESHED   SUCCESS   RPS   LATENCY_P50   LATENCY_P95   LATENCY_P99   TLS
            legacy      0/1         -     -             -             -             -     -

            """, run.Out);
        Assert.Equal("The deployment legacy in namespace default has no meshed pod: add the proxy with `dashboard inject` to see its traffic.\n", run.Error);
    }

    [Fact]
    public async Task Pods_in_all_namespaces_get_a_namespace_column()
    {
        await fleet.WaitForWindowAsync(15);
        var run = await fleet.RunAsync("stat", "po", "-A", "-t", "15s");

        var rows = AssertTable(run.Out, ["NAMESPACE", .. StatPrinter.Columns], leftAligned: 2);
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal("default", r[0]));
        Assert.Equal(["ml", "ml", "test-1", "test-2"], rows.Select(r => PodOwner().Match(r[1]).Groups[1].Value));
        Assert.All(rows, r => AssertNumbers([.. r.Skip(1)]));
    }

    [Fact]
    public async Task Namespaces_and_all()
    {
        await fleet.WaitForWindowAsync(15);
        var namespaces = await fleet.RunAsync("stat", "ns", "-t", "15s");
        var all = await fleet.RunAsync("stat", "all", "-t", "15s");

        var rows = AssertTable(namespaces.Out, StatPrinter.Columns);
        Assert.Equal(["default", "4/6"], rows.Single()[..2]);
        var tables = all.Out.Split("\n\n");
        Assert.Equal(2, tables.Length);
        Assert.Equal(["deployment/ml", "deployment/test-1", "deployment/test-2"], AssertTable(tables[0] + "\n", StatPrinter.Columns).Select(r => r[0]));
        Assert.All(AssertTable(tables[1], StatPrinter.Columns), r => Assert.StartsWith("pod/", r[0], StringComparison.Ordinal));
        Assert.Equal("", all.Error);
    }

    [Fact]
    public async Task To_and_from_show_the_callers_and_the_destinations()
    {
        await fleet.WaitForWindowAsync(15);
        var callers = await fleet.RunAsync("stat", "deploy", "--to", "deploy/ml", "-t", "15s");
        var destinations = await fleet.RunAsync("stat", "deploy", "--from", "deploy/test-1", "-t", "15s");

        Assert.Equal(["test-1", "1/1"], AssertTable(callers.Out, StatPrinter.Columns).Single()[..2]);
        Assert.Equal(["ml", "2/2"], AssertTable(destinations.Out, StatPrinter.Columns).Single()[..2]);
        // test-2's callers are outside the mesh: its own inbound proxy counted them, as one row without a namespace or pods.
        var unmeshed = await fleet.RunAsync("stat", "deploy", "--to", "deploy/test-2", "-t", "15s");
        Assert.Equal("", unmeshed.Error);
        var row = AssertTable(unmeshed.Out, StatPrinter.Columns).Single();
        Assert.Equal([StatTableRowName, "-"], row[..2]);
        AssertNumbers(row);
        Assert.Equal("0%", row[7]);
    }

    private const string StatTableRowName = Dashboard.Model.StatTableRow.UnmeshedClientsName;

    [Fact]
    public async Task Compare_previous_prints_each_number_beside_its_value_in_the_window_before()
    {
        await fleet.WaitForWindowAsync(30);
        var run = await fleet.RunAsync("stat", "deploy", "ml", "test-2", "-t", "15s", "--compare", "previous");
        var json = await fleet.RunAsync("stat", "deploy", "ml", "-t", "15s", "--compare", "previous", "-o", "json");
        var bad = await fleet.RunAsync("stat", "deploy", "--compare", "last week");

        Assert.Equal((ExitCodes.Success, ""), (run.ExitCode, run.Error));
        var rows = AssertTable(run.Out, StatPrinter.Columns);
        Assert.Equal(["ml", "test-2"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.All(r[2..], cell => Assert.Matches(@"^\S+ \(was \S+\)( [▲▼])?$", cell)));
        // Both windows had traffic: the values beside are numbers too.
        AssertNumbers([.. rows[0].Select(c => c.Split(' ')[0])]);
        AssertNumbers([.. rows[0].Select(c => c.Contains("(was ", StringComparison.Ordinal) ? c.Split("(was ")[1].Split(')')[0] : c)]);

        var compare = JsonDocument.Parse(json.Out).RootElement.EnumerateArray().Single().GetProperty("compare");
        Assert.Equal(["window_end", "success", "rps", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99", "tls", "requests", "failures", "changed"],
            compare.EnumerateObject().Select(p => p.Name));
        Assert.InRange(compare.GetProperty("rps").GetDouble(), 1, 100);
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Equal("error: --compare 'last week' is not 'previous' or an RFC 3339 time such as 2026-12-02T21:00:00Z\n", bad.Error);
    }

    [Fact]
    public async Task Wide_pods_get_an_outlier_column()
    {
        await fleet.WaitForWindowAsync(15);
        var run = await fleet.RunAsync("stat", "po", "-t", "15s", "-o", "wide");

        var rows = AssertTable(run.Out, [.. StatPrinter.Columns, .. StatPrinter.WideColumns, StatPrinter.OutlierColumn]);
        Assert.Contains(rows, r => r[0].StartsWith("ml-", StringComparison.Ordinal));
        // Two ml pods are too few to judge one against the others: no pod of this fleet is flagged.
        Assert.All(rows, r => Assert.Equal("-", r[^1]));
    }

    [Fact]
    public async Task Label_selectors_are_applied_by_the_api_server()
    {
        var run = await fleet.RunAsync("stat", "deploy", "-l", "app in (ml, legacy)", "--unmeshed");
        var bad = await fleet.RunAsync("stat", "deploy", "-l", "app in (");

        Assert.Equal(["legacy", "ml"], AssertTable(run.Out, StatPrinter.Columns).Select(r => r[0]));
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.StartsWith("error: -l 'app in (': HTTP 400 BadRequest: ", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_resource_fails_with_exit_1_after_printing_the_others()
    {
        // Before the first scrapes ml has no traffic yet, and stat says so on standard error too.
        await fleet.WaitForWindowAsync(15);
        var run = await fleet.RunAsync("stat", "deploy/nope", "deploy/ml");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(["ml"], AssertTable(run.Out, StatPrinter.Columns).Select(r => r[0]));
        Assert.Equal("error: deployment \"nope\" not found in namespace \"default\"\n", run.Error);
    }

    [Fact]
    public async Task An_unreachable_prometheus_fails_with_exit_1_and_the_reason()
    {
        var prometheus = $"http://127.0.0.1:{TestPorts.Free()}";
        var run = await CliRun.RunAsync("stat", "deploy", "--server", fleet.Api.ToString(), "--prometheus", prometheus);

        Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
        Assert.Equal($"error: Prometheus at {prometheus} is unreachable: Connection refused\n", run.Error);
    }

    [Fact]
    public async Task Json_is_an_array_of_objects_with_linkerds_fields_and_null_for_no_data()
    {
        await fleet.WaitForWindowAsync(15);
        var run = await fleet.RunAsync("stat", "deploy", "-t", "15s", "--unmeshed", "-o", "json");

        var rows = JsonDocument.Parse(run.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(["legacy", "ml", "test-1", "test-2"], rows.Select(r => r.GetProperty("name").GetString()));
        string[] fields = ["namespace", "kind", "name", "meshed", "success", "rps", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99", "tls", "requests", "failures"];
        Assert.All(rows, r => Assert.Equal(fields, r.EnumerateObject().Select(p => p.Name)));
        Assert.All(rows[0].EnumerateObject().Skip(4), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));
        Assert.All(rows.Skip(1), r => Assert.All(r.EnumerateObject().Skip(4), p => Assert.Equal(JsonValueKind.Number, p.Value.ValueKind)));
        Assert.All(rows.Skip(1), r => Assert.InRange(r.GetProperty("success").GetDouble(), 0.5, 1));
    }

    /// <summary>
    /// The rows of a table, after checking its layout: the header is exactly <paramref name="headers"/> three spaces
    /// apart, text columns start and number columns end where their header does.
    /// </summary>
    private static List<string[]> AssertTable(string text, IReadOnlyList<string> headers, int leftAligned = 1)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        var headerLine = lines[0];
        Assert.Equal(headers, Cells().Split(headerLine.Trim()));
        var starts = new int[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            starts[i] = headerLine.IndexOf(headers[i], i == 0 ? 0 : starts[i - 1] + headers[i - 1].Length, StringComparison.Ordinal);
        }

        var rows = new List<string[]>();
        foreach (var line in lines.Skip(1))
        {
            var cells = Cells().Split(line.Trim());
            Assert.Equal(headers.Count, cells.Length);
            for (var i = 0; i < cells.Length; i++)
            {
                var start = i < leftAligned ? starts[i] : starts[i] + headers[i].Length - cells[i].Length;
                Assert.True(line.Length >= start + cells[i].Length && line.Substring(start, cells[i].Length) == cells[i],
                    $"'{cells[i]}' is not aligned under {headers[i]} in:\n{text}");
            }

            rows.Add(cells);
        }

        return rows;
    }

    private static void AssertNumbers(string[] row)
    {
        Assert.Matches(@"^\d{1,3}\.\d\d%$", row[2]);
        Assert.Matches(@"^(\d+(\.\d+)?|<0\.01)rps$", row[3]);
        Assert.All(row[4..7], latency => Assert.Matches(@"^(\d+(µs|ms)|\d+\.\d\ds)$", latency));
        Assert.Matches(@"^\d{1,3}%$", row[7]);
    }

    // A Deployment's pod is named deployment-hash-suffix.
    [GeneratedRegex(@"^(.+)-[a-z0-9]+-[a-z0-9]+$")]
    private static partial Regex PodOwner();

    [GeneratedRegex(" {3,}")]
    private static partial Regex Cells();
}
