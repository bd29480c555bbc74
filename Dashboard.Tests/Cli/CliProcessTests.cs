using Dashboard.Cli;
using Dashboard.Hosting;

namespace Dashboard.Tests.Cli;

/// <summary>The built executable as a user runs it: exit codes, standard error, shell completion.</summary>
public sealed class CliProcessTests
{
    [Fact]
    public async Task Bad_usage_exits_2_with_the_reason_on_stderr_and_nothing_on_stdout()
    {
        var run = await CliProcess.RunAsync("stat", "bogus");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal("error: unknown resource type 'bogus': expected one of deploy, sts, ds, job, po, ns or all (or their kubectl names, such as deployment or pods)\n", run.Error);
    }

    [Fact]
    public async Task A_failed_check_exits_1_and_stops_at_the_unreachable_api()
    {
        var api = $"http://127.0.0.1:{TestPorts.Free()}";
        var run = await CliProcess.RunAsync("check", "--server", api);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"""
            kubernetes-api: can initialize the client..................................[ok]
            kubernetes-api: can query the Kubernetes API...............................[fail]
                hint: the Kubernetes API at {api} did not answer: Connection refused ({api[7..]}); pass --server URL or --kubeconfig FILE

            Status check results are [fail]

            """, run.Out);
    }

    [Fact]
    public async Task Version_exits_0()
    {
        var run = await CliProcess.RunAsync("version", "--client");

        Assert.Equal((ExitCodes.Success, $"Client version: {BuildVersion.Current}\n", ""), (run.ExitCode, run.Out, run.Error));
    }

    [Fact]
    public async Task Bash_completion_completes_verbs_options_and_types_from_the_executable()
    {
        var run = await CliProcess.PipelineAsync("""
            source <(dashboard completion bash)
            complete() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dashboard_complete; echo "${COMPREPLY[*]}"; }
            complete dashboard st
            complete dashboard stat --unm
            complete dashboard stat de
            """);

        Assert.Equal((0, "stat\n--unmeshed\ndeploy\n"), (run.ExitCode, run.Out));
    }

    [Fact]
    public async Task Zsh_completion_completes_from_the_executable_too()
    {
        // Outside an interactive shell there is no completion system: compdef and compadd are stood in for.
        var run = await CliProcess.PipelineAsync("""
            exec zsh -fc '
              compdef() { :; }
              source <(dashboard completion zsh)
              compadd() { [[ $1 == -- ]] && shift; print -r -- "$*"; }
              words=(dashboard stat --unm); CURRENT=3; _dashboard
              words=(dashboard st); CURRENT=2; _dashboard'
            """);

        Assert.Equal((0, "--unmeshed\nstat install\n"), (run.ExitCode, run.Out));
    }
}
