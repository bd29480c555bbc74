using System.Text.Json;
using Dashboard.Cli;
using Dashboard.Cli.Diagnose;
using Dashboard.Investigation;
using Dashboard.Model;

namespace Dashboard.Tests.Cli;

/// <summary>
/// <c>diagnose</c> without a fleet: a fixed <see cref="Diagnosis"/> through the text report and the JSON contract,
/// both golden; and the command line's mistakes, each with its reason and exit 2.
/// </summary>
public sealed class DiagnoseTests
{
    private static readonly DateTimeOffset From = new(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);

    /// <summary>Two episodes (a periodic P99 rise from the unmeshed clients, a failure rise from a downstream), an outlier pod, a breakdown row without data.</summary>
    public static Diagnosis Fixed { get; } = new(
        new ResourceKey(WorkloadKind.Deployment, "pay", "ledger"),
        StatWindow.FromSeconds(15 * 60),
        From,
        From.AddMinutes(15),
        TimeSpan.FromSeconds(15),
        "Ledger's P99 rose from 9ms to 262ms in 2 episodes, every 30s; only unmeshed clients were slow (deployment/checkout stayed at its 8ms baseline).",
        [
            new Episode(From.AddSeconds(135), From.AddSeconds(180), SpikeMetric.P99, 9.04, 262.3649, 30.04,
                [new Cause(CauseKind.Caller, Cause.UnmeshedClients, "unmeshed clients: P99 262ms during the episode vs 9ms baseline")]),
            new Episode(From.AddMinutes(10), From.AddSeconds(645), SpikeMetric.FailureRate, 0.001234, 0.12545678, null,
                [
                    new Cause(CauseKind.Downstream, "deployment/pricing", "deployment/pricing: failure rate 12.5% during the episode vs 0.1% baseline"),
                    new Cause(CauseKind.Pod, "ledger-7d9f8-x2k4q", "ledger-7d9f8-x2k4q: failure rate 20% during the episode vs 0% baseline"),
                ]),
        ],
        [new PodOutlier("ledger-7d9f8-x2k4q", OutlierMetric.P99, 170.2649, 20.04)],
        [
            new DownstreamShare(new ResourceKey(WorkloadKind.Deployment, "pay", "pricing"), 120.4444, 0.60216),
            new DownstreamShare(new ResourceKey(WorkloadKind.Deployment, "fx", "rates"), null, null),
        ])
    {
        Series = [new EvidenceSeries("ledger P99", SpikeMetric.P99, [(From, 9.0)])],
    };

    [Fact]
    public async Task The_text_report_is_golden()
    {
        using var writer = new StringWriter { NewLine = "\n" };
        await DiagnosePrinter.WriteTextAsync(writer, Fixed);

        GoldenFile.AssertMatches("Dashboard.Tests/Cli/Golden/diagnose.txt", writer.ToString());
    }

    [Fact]
    public void The_json_contract_is_golden()
    {
        GoldenFile.AssertMatches("Dashboard.Tests/Cli/Golden/diagnose.json", DiagnosisJson.Write(Fixed) + "\n");
    }

    [Fact]
    public void Json_rounds_writes_null_for_no_data_and_leaves_the_series_out()
    {
        var root = JsonDocument.Parse(DiagnosisJson.Write(Fixed)).RootElement;

        Assert.Equal(["resource", "namespace", "lookback", "summary", "episodes", "outliers", "breakdown"], root.EnumerateObject().Select(p => p.Name));
        var episodes = root.GetProperty("episodes").EnumerateArray().ToList();
        Assert.Equal(262.4, episodes[0].GetProperty("peak").GetDouble());
        Assert.Equal(30, episodes[0].GetProperty("recurrenceSeconds").GetDouble());
        Assert.Equal(0.1255, episodes[1].GetProperty("peak").GetDouble());
        Assert.Equal(JsonValueKind.Null, episodes[1].GetProperty("recurrenceSeconds").ValueKind);
        var breakdown = root.GetProperty("breakdown").EnumerateArray().ToList();
        Assert.Equal(("deployment/rates", "fx"), (breakdown[1].GetProperty("downstream").GetString(), breakdown[1].GetProperty("namespace").GetString()));
        Assert.Equal(JsonValueKind.Null, breakdown[1].GetProperty("p95Ms").ValueKind);
    }

    [Fact]
    public async Task Nothing_found_is_empty_lists_in_json_and_one_line_per_section_in_text()
    {
        var quiet = Fixed with { Summary = "No latency or failure episode in the last 15m.", Episodes = [], Outliers = [], Breakdown = [] };
        using var writer = new StringWriter { NewLine = "\n" };
        await DiagnosePrinter.WriteTextAsync(writer, quiet);

        Assert.Equal("""
            No latency or failure episode in the last 15m.

            deployment/ledger in pay, 2026-12-03 06:00:00–06:15:00 UTC (step 15s)

            EPISODES
            No episodes.

            CAUSES
            No episodes, so no causes.

            OUTLIERS
            No outlier pods.

            BREAKDOWN
            No downstream traffic.

            """, writer.ToString());
        var root = JsonDocument.Parse(DiagnosisJson.Write(quiet)).RootElement;
        Assert.All(["episodes", "outliers", "breakdown"], name => Assert.Equal(0, root.GetProperty(name).GetArrayLength()));
    }

    [Fact]
    public async Task A_lookback_across_midnight_dates_every_time()
    {
        var midnight = Fixed with { From = From.AddHours(-6).AddMinutes(-5), To = From.AddHours(-6).AddMinutes(10), Episodes = [Fixed.Episodes[0] with { Start = From.AddHours(-6), End = From.AddHours(-6).AddSeconds(15) }] };
        using var writer = new StringWriter { NewLine = "\n" };
        await DiagnosePrinter.WriteTextAsync(writer, midnight);

        Assert.Contains("deployment/ledger in pay, 2026-12-02 23:55:00–2026-12-03 00:10:00 UTC (step 15s)\n", writer.ToString(), StringComparison.Ordinal);
        Assert.Contains("\n2026-12-03 00:00:00   2026-12-03 00:00:15   P99", writer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "diagnose" }, "Required argument 'TYPE/NAME' missing")]
    [InlineData(new[] { "diagnose", "bogus/web" }, "unknown resource type 'bogus': expected one of deploy, sts, ds, job, po, ns or all")]
    [InlineData(new[] { "diagnose", "deploy" }, "'deploy' names no resource: write TYPE/NAME, such as deploy/web")]
    [InlineData(new[] { "diagnose", "deploy/" }, "'deploy/' is not TYPE/NAME, such as deploy/web")]
    [InlineData(new[] { "diagnose", "all/web" }, "'all/web': 'all' cannot name one resource")]
    [InlineData(new[] { "diagnose", "deploy/web", "deploy/api" }, "'deploy/api': give one resource, TYPE/NAME or TYPE NAME")]
    [InlineData(new[] { "diagnose", "deploy/Web_1" }, "'deploy/Web_1': 'Web_1' is not a resource name")]
    [InlineData(new[] { "diagnose", "deploy/web", "--lookback", "0" }, "--lookback '0' is not a lookback: write a duration in whole seconds up to 30d, such as 15s, 1m or 1h")]
    [InlineData(new[] { "diagnose", "deploy/web", "--lookback", "abc" }, "--lookback 'abc' is not a lookback")]
    [InlineData(new[] { "diagnose", "deploy/web", "--lookback", "-5m" }, "--lookback '-5m' is not a lookback")]
    [InlineData(new[] { "diagnose", "deploy/web", "--at", "yesterday" }, "--at 'yesterday' is not a time")]
    [InlineData(new[] { "diagnose", "deploy/web", "-n", "Not_A_Namespace" }, "--namespace 'Not_A_Namespace' is not a namespace name")]
    [InlineData(new[] { "diagnose", "ns/pay", "-n", "shop" }, "'ns/pay' and --namespace 'shop': a namespace is its own scope, give at most one")]
    [InlineData(new[] { "diagnose", "deploy/web", "-o", "yaml" }, "Argument 'yaml' not recognized. Must be one of")]
    public async Task Bad_usage_exits_2_with_the_reason_on_stderr(string[] args, string reason)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal((ExitCodes.Usage, ""), (run.ExitCode, run.Out));
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(reason, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_and_name_parse_as_stat_reads_them()
    {
        Assert.Equal(new ResourceKey(WorkloadKind.Deployment, "pay", "ledger"), DiagnoseVerb.ParseResource(["deployment/ledger"], "pay", "default"));
        Assert.Equal(new ResourceKey(WorkloadKind.StatefulSet, "default", "db"), DiagnoseVerb.ParseResource(["sts", "db"], null, "default"));
        Assert.Equal(new ResourceKey(WorkloadKind.Pod, "default", "web-1"), DiagnoseVerb.ParseResource(["po/web-1"], null, "default"));
        Assert.Equal(ResourceKey.ForNamespace("pay"), DiagnoseVerb.ParseResource(["ns/pay"], null, "default"));
        Assert.Equal(ResourceKey.ForNamespace("pay"), DiagnoseVerb.ParseResource(["namespace/pay"], "pay", "default"));
    }
}
