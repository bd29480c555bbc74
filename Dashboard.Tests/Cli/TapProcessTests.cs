using System.Diagnostics;
using Dashboard.Cli;

namespace Dashboard.Tests.Cli;

/// <summary>
/// The built executable tapping the fleet as a user runs it: Ctrl-C (SIGINT) ends the stream cleanly, and so does a
/// reader of its output that goes away.
/// </summary>
[Collection(TapCliFleetCollection.Name)]
public sealed class TapProcessTests(TapCliFleetFixture fleet)
{
    private const int SigInt = 2;

    [Fact]
    public async Task Ctrl_c_ends_tap_with_exit_0_and_only_whole_lines_on_stdout()
    {
        // Started as a terminal's foreground job is, with SIGINT at its default: a job that a non-interactive shell
        // starts in the background (`./test.sh &`) inherits SIGINT ignored, every process below it too, and .NET leaves
        // an inherited SIG_IGN alone, so the Ctrl-C below would never reach the verb.
        var info = new ProcessStartInfo("/usr/bin/env");
        foreach (var arg in (string[])["--default-signal=INT", CliProcess.Executable, "tap", "deploy/test-1", .. fleet.Globals])
        {
            info.ArgumentList.Add(arg);
        }

        await using var tap = CapturedProcess.Start(info);
        await tap.WaitForLinesAsync(6).Within(TestTimeouts.Slow);

        tap.Signal(SigInt);

        Assert.Equal(ExitCodes.Success, await tap.WaitForExitAsync());
        Assert.Equal("", tap.StandardError);
        Assert.EndsWith("\n", tap.StandardOutput, StringComparison.Ordinal);
        var lines = new TapLinesParsed(tap.StandardOutput);
        Assert.True(lines.Lines.Count >= 6, string.Join("\n", lines.Lines));
        Assert.All(lines.Lines, TapLinesParsed.AssertStructure);
    }

    [Fact]
    public async Task Tap_into_a_pipe_whose_reader_leaves_after_one_line_ends_with_exit_0()
    {
        // Had the closed pipe gone unnoticed, tap would stream until the run's timeout and the test fail on it.
        var run = await CliProcess.PipelineAsync($"dashboard tap deploy/test-1 {string.Join(' ', fleet.Globals.Select(Quoted))} | head -1");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var tap = new TapLinesParsed(run.Out);
        TapLinesParsed.AssertStructure(Assert.Single(tap.Lines));
    }

    [Fact]
    public async Task Top_printing_into_a_pipe_whose_reader_has_left_ends_with_exit_0()
    {
        // `true` reads nothing and exits: top's table, printed after --duration, meets a pipe without a reader.
        var run = await CliProcess.PipelineAsync($"dashboard top deploy/test-1 --duration 2s {string.Join(' ', fleet.Globals.Select(Quoted))} | true");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
    }

    private static string Quoted(string word) => $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
