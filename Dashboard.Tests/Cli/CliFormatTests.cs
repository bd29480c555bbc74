using Dashboard.Cli;
using Dashboard.Cli.Check;
using Dashboard.Cli.Stat;
using Dashboard.Kubernetes;
using Dashboard.Model;

namespace Dashboard.Tests.Cli;

/// <summary>The seed's output formats, exactly: stat's table and check's lines (Linkerd's CLI formats).</summary>
public sealed class CliFormatTests
{
    [Fact]
    public async Task The_stat_table_is_the_seeds_to_the_character()
    {
        // The seed's row: 3.2 rps over 10 s, all successes, no TLS, P50/P95/P99 of 6/10/17 ms.
        var row = new StatTableRow(new ResourceKey(WorkloadKind.Pod, "default", "test-1-65dbdfd5d4-hr8bp"), 1, 1, new StatCounts(32, 0, 0, 10, 6, 10, 17));
        var text = await PrintAsync(OutputFormat.Table, [new StatResult(WorkloadKind.Pod, [row], [], null)]);

        Assert.Equal("""
            NAME                      MESHED   SUCCESS      RPS   LATENCY_P50   LATENCY_P95   LATENCY_P99   TLS
            test-1-65dbdfd5d4-hr8bp      1/1   100.00%   3.2rps           6ms          10ms          17ms    0%

            """, text.Out);
    }

    [Fact]
    public async Task No_data_is_a_dash_in_the_table_and_null_in_json()
    {
        var idle = new StatTableRow(new ResourceKey(WorkloadKind.Deployment, "default", "legacy"), 0, 1, null);
        var busy = new StatTableRow(new ResourceKey(WorkloadKind.Deployment, "default", "web"), 2, 2, new StatCounts(95, 5, 50, 10, 0.85, 12.4, 1250));
        IReadOnlyList<StatResult> results = [new StatResult(WorkloadKind.Deployment, [idle, busy], [], null)];

        Assert.Equal("""
            NAME     MESHED   SUCCESS       RPS   LATENCY_P50   LATENCY_P95   LATENCY_P99   TLS   REQUESTS   FAILURES
            legacy      0/1         -         -             -             -             -     -          -          -
            web         2/2    95.00%   10.0rps         850µs          12ms         1.25s   50%        100          5

            """, (await PrintAsync(OutputFormat.Wide, results)).Out);
        Assert.Equal("""
            [
              {
                "namespace": "default",
                "kind": "deployment",
                "name": "legacy",
                "meshed": "0/1",
                "success": null,
                "rps": null,
                "latency_ms_p50": null,
                "latency_ms_p95": null,
                "latency_ms_p99": null,
                "tls": null,
                "requests": null,
                "failures": null
              },
              {
                "namespace": "default",
                "kind": "deployment",
                "name": "web",
                "meshed": "2/2",
                "success": 0.95,
                "rps": 10,
                "latency_ms_p50": 0.85,
                "latency_ms_p95": 12.4,
                "latency_ms_p99": 1250,
                "tls": 0.5,
                "requests": 100,
                "failures": 5
              }
            ]

            """, (await PrintAsync(OutputFormat.Json, results)).Out);
    }

    [Fact]
    public async Task All_namespaces_adds_a_namespace_column_and_several_kinds_prefix_the_name()
    {
        var deployment = new StatTableRow(new ResourceKey(WorkloadKind.Deployment, "shop", "cart"), 1, 1, null);
        var pod = new StatTableRow(new ResourceKey(WorkloadKind.Pod, "shop", "cart-5d4-x"), 1, 1, null);
        var text = await PrintAsync(OutputFormat.Table,
            [new StatResult(WorkloadKind.Deployment, [deployment], [], null), new StatResult(WorkloadKind.StatefulSet, [], [], "No statefulsets."), new StatResult(WorkloadKind.Pod, [pod], ["gone"], null)],
            @namespace: null);

        Assert.Equal("""
            NAMESPACE   NAME              MESHED   SUCCESS   RPS   LATENCY_P50   LATENCY_P95   LATENCY_P99   TLS
            shop        deployment/cart      1/1         -     -             -             -             -     -

            NAMESPACE   NAME             MESHED   SUCCESS   RPS   LATENCY_P50   LATENCY_P95   LATENCY_P99   TLS
            shop        pod/cart-5d4-x      1/1         -     -             -             -             -     -

            """, text.Out);
        Assert.Equal("error: pod \"gone\" not found\n", text.Error);
    }

    [Fact]
    public void Check_lines_are_the_seeds_to_the_character()
    {
        var api = new CheckCategory("kubernetes-api", []);
        var setup = new CheckCategory("kubernetes-setup", []);

        Assert.Equal("kubernetes-api: can initialize the client..................................[ok]",
            CheckPrinter.Line(api, new HealthCheck("can initialize the client", (_, _) => Task.FromResult<CheckResult?>(null)), CheckStatus.Ok));
        Assert.Equal("kubernetes-api: is running the minimum Kubernetes API version..............[ok]",
            CheckPrinter.Line(api, new HealthCheck("is running the minimum Kubernetes API version", (_, _) => Task.FromResult<CheckResult?>(null)), CheckStatus.Ok));
        Assert.Equal("kubernetes-setup: control plane namespace does not already exist...........[ok]",
            CheckPrinter.Line(setup, new HealthCheck("control plane namespace does not already exist", (_, _) => Task.FromResult<CheckResult?>(null)), CheckStatus.Ok));
    }

    [Theory]
    [InlineData("deploy", new[] { WorkloadKind.Deployment })]
    [InlineData("Deployments", new[] { WorkloadKind.Deployment })]
    [InlineData("po", new[] { WorkloadKind.Pod })]
    [InlineData("sts", new[] { WorkloadKind.StatefulSet })]
    [InlineData("ds", new[] { WorkloadKind.DaemonSet })]
    [InlineData("job", new[] { WorkloadKind.Job })]
    [InlineData("ns", new[] { WorkloadKind.Namespace })]
    [InlineData("all", new[] { WorkloadKind.Deployment, WorkloadKind.StatefulSet, WorkloadKind.DaemonSet, WorkloadKind.Job, WorkloadKind.Pod })]
    public void Resource_types_are_kubectls(string type, WorkloadKind[] kinds)
    {
        Assert.True(ResourceTypes.TryParse(type, out var parsed));
        Assert.Equal(kinds, parsed);
    }

    [Fact]
    public void Stat_targets_take_kubectls_forms()
    {
        Assert.Equal([new(WorkloadKind.Deployment, ["web", "db"])], StatTarget.Parse(["deploy", "web", "db"]), new TargetComparer());
        Assert.Equal([new(WorkloadKind.Deployment, ["web"]), new(WorkloadKind.Pod, ["p"])], StatTarget.Parse(["deploy/web", "po/p"]), new TargetComparer());
        Assert.Equal([new(WorkloadKind.Deployment, []), new(WorkloadKind.Pod, [])], StatTarget.Parse(["deploy,po"]), new TargetComparer());
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CommandException>(() => StatTarget.Parse(["deploy/web", "db"])).ExitCode);
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CommandException>(() => StatTarget.Parse(["deploy,po", "web"])).ExitCode);
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CommandException>(() => StatTarget.Parse(["all/web"])).ExitCode);
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CommandException>(() => StatTarget.Parse(["deploy/"])).ExitCode);
    }

    private static async Task<CliRun> PrintAsync(OutputFormat format, IReadOnlyList<StatResult> results, string? @namespace = "default")
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(new CliConsole(TextReader.Null, output, error, false))
        {
            Output = format, Kubernetes = KubernetesSource.Default, PrometheusUrl = new Uri("http://127.0.0.1:9090"), PrometheusGiven = false,
            DashboardUrl = new Uri("http://127.0.0.1:8084"), ControlPlaneNamespace = ControlPlane.DefaultNamespace, Timeout = TimeSpan.FromSeconds(1),
        };
        await using (context)
        {
            var request = new StatRequest([], @namespace, StatWindow.Default, null, null, null, false);
            await StatPrinter.WriteAsync(context, request, results);
        }

        return new CliRun(0, output.ToString(), error.ToString());
    }

    private sealed class TargetComparer : IEqualityComparer<StatTarget>
    {
        public bool Equals(StatTarget? x, StatTarget? y) => x!.Kind == y!.Kind && x.Names.SequenceEqual(y.Names);

        public int GetHashCode(StatTarget obj) => obj.Kind.GetHashCode();
    }
}
