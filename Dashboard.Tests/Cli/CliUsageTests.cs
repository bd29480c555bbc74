using Dashboard.Cli;
using Dashboard.Cli.Completion;
using Dashboard.Hosting;

namespace Dashboard.Tests.Cli;

/// <summary>The command line itself: verbs, global options and exit codes, run in-process without any server.</summary>
public sealed class CliUsageTests
{
    [Fact]
    public async Task Help_lists_every_verb_and_exits_0()
    {
        var run = await CliRun.RunAsync("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (var verb in new[] { "check", "stat", "top", "diagnose", "graph", "tap", "inject", "install", "open", "version", "serve", "completion" })
        {
            Assert.Matches($@"(?m)^  {verb}\s", run.Out);
        }
    }

    [Theory]
    [InlineData(new[] { "bogus" }, "Unrecognized command or argument 'bogus'")]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "stat" }, "Required argument 'TYPE [NAME...]' missing")]
    [InlineData(new[] { "stat", "bogus" }, "unknown resource type 'bogus': expected one of deploy, sts, ds, job, po, ns or all")]
    [InlineData(new[] { "stat", "deploy", "-t", "90" }, "--time-window '90' is not a window")]
    [InlineData(new[] { "stat", "deploy", "--at", "yesterday" }, "--at 'yesterday' is not a time")]
    [InlineData(new[] { "stat", "deploy", "--from", "deploy/a", "--to", "deploy/b" }, "--from 'deploy/a' and --to 'deploy/b': give at most one")]
    [InlineData(new[] { "stat", "deploy", "-n", "Not_A_Namespace" }, "--namespace 'Not_A_Namespace' is not a namespace name")]
    [InlineData(new[] { "stat", "deploy", "-o", "yaml" }, "Argument 'yaml' not recognized. Must be one of")]
    [InlineData(new[] { "check", "--pre", "--proxy" }, "--pre and --proxy: give at most one")]
    [InlineData(new[] { "version", "--prometheus", "htp:/x" }, "--prometheus: 'htp:/x' is not an absolute http(s) URL")]
    [InlineData(new[] { "version", "--timeout", "soon" }, "--timeout: 'soon' is not a duration")]
    [InlineData(new[] { "version", "--server", "http://a", "--kubeconfig", "/k" }, "--server 'http://a' and --kubeconfig '/k': give at most one")]
    [InlineData(new[] { "serve", "--contentRoot", "/nonexistent-content-root" }, "--contentRoot '/nonexistent-content-root' is not a directory")]
    [InlineData(new[] { "version", "--kubeconfig", "/nonexistent/config" }, "--kubeconfig: '/nonexistent/config' does not exist")]
    [InlineData(new[] { "inject", "/nonexistent/app.yaml" }, "the path '/nonexistent/app.yaml' does not exist")]
    [InlineData(new[] { "inject", "-", "--proxy-version", "1 0" }, "--proxy-version '1 0' is not a valid image tag")]
    [InlineData(new[] { "completion", "fish" }, "Argument 'fish' not recognized. Must be one of")]
    public async Task Bad_usage_exits_2_with_the_reason_on_stderr(string[] args, string reason)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(reason, run.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Every_bad_global_option_is_listed_at_once()
    {
        var run = await CliRun.RunAsync("version", "--prometheus", "htp:/x", "--server", "k8s", "--dashboard-url", "ftp://d");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(3, run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("--server: 'k8s'", run.Error, StringComparison.Ordinal);
        Assert.Contains("--dashboard-url: 'ftp://d'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_client_prints_the_build_version_and_contacts_nothing()
    {
        var run = await CliRun.RunAsync("version", "--client", "--server", "http://192.0.2.1:1");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal($"Client version: {BuildVersion.Current}\n", run.Out);
        Assert.Matches(@"^\d+\.\d+\.\d+", BuildVersion.Current);
    }

    [Fact]
    public async Task Version_without_any_server_reports_what_is_unavailable_and_exits_0()
    {
        var nobody = $"http://127.0.0.1:{TestPorts.Free()}";
        var run = await CliRun.RunAsync("version", "--server", nobody, "--prometheus", nobody, "--dashboard-url", nobody, "-o", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal($$"""
            {
              "client": "{{BuildVersion.Current}}",
              "dashboard": null,
              "proxies": null
            }

            """, run.Out);
        Assert.Contains("Connection refused", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash", CompletionVerb.Bash)]
    [InlineData("zsh", CompletionVerb.Zsh)]
    public async Task Completion_prints_the_shell_script(string shell, string script)
    {
        var run = await CliRun.RunAsync("completion", shell);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(script, run.Out);
        Assert.Contains("[suggest:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_suggest_directive_completes_verbs_options_and_resource_types()
    {
        // System.CommandLine suggests the verbs that start with the word, then those that contain it.
        Assert.Equal("stat\ninstall\n", (await CliRun.RunAsync("[suggest:2]", "st")).Out);
        Assert.Equal("--unmeshed\n", (await CliRun.RunAsync("[suggest:12]", "stat --unmes")).Out);
        Assert.Contains("deploy\n", (await CliRun.RunAsync("[suggest:5]", "stat ")).Out, StringComparison.Ordinal);
        Assert.Equal("diagnose\n", (await CliRun.RunAsync("[suggest:4]", "diag")).Out);
        Assert.Equal("--lookback\n", (await CliRun.RunAsync("[suggest:15]", "diagnose --look")).Out);
        Assert.Contains("sts\n", (await CliRun.RunAsync("[suggest:9]", "diagnose ")).Out, StringComparison.Ordinal);
    }
}
