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
    [Fact]
    public async Task Ctrl_c_ends_tap_with_exit_0_and_only_whole_lines_on_stdout()
    {
        var info = new ProcessStartInfo(CliProcess.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["tap", "deploy/test-1", .. fleet.Globals])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(TestTimeouts.Token);
            var lines = new List<string>();
            while (lines.Count < 6 && await process.StandardOutput.ReadLineAsync(TestTimeouts.Token).AsTask().Within(TestTimeouts.Slow) is { } line)
            {
                lines.Add(line);
            }

            await Interrupt(process.Id);
            var rest = await process.StandardOutput.ReadToEndAsync(TestTimeouts.Token).Within();
            await process.WaitForExitAsync(TestTimeouts.Token).Within();

            Assert.Equal((ExitCodes.Success, ""), (process.ExitCode, await stderr.Within()));
            Assert.True(rest.Length == 0 || rest.EndsWith('\n'), rest);
            var tap = new TapLinesParsed(string.Join("", lines.Select(l => l + "\n")) + rest);
            Assert.True(tap.Lines.Count >= 6, string.Join("\n", tap.Lines));
            Assert.All(tap.Lines, TapLinesParsed.AssertStructure);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
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

    /// <summary>What a terminal's Ctrl-C sends.</summary>
    private static async Task Interrupt(int pid)
    {
        using var kill = Process.Start("/bin/bash", ["-c", $"kill -INT {pid}"]);
        await kill.WaitForExitAsync(TestTimeouts.Token).Within();
        Assert.Equal(0, kill.ExitCode);
    }
}
