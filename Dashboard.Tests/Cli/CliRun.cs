using Dashboard.Cli;

namespace Dashboard.Tests.Cli;

/// <summary>One in-process run of the CLI: its exit code and what it wrote to each stream.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs <c>dashboard ARGS</c> in this process, with <paramref name="stdin"/> as standard input.</summary>
    public static async Task<CliRun> RunAsync(string[] args, string stdin = "", TimeSpan? timeout = null)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        using var input = new StringReader(stdin);
        var code = await DashboardCli.RunAsync(args, new CliConsole(input, output, error, IsInteractive: false), TestTimeouts.Token)
            .Within(timeout ?? TestTimeouts.Slow);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(args, "");

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}
