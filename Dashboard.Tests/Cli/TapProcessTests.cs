using System.Diagnostics;
using Dashboard.Cli;

namespace Dashboard.Tests.Cli;

/// <summary>The built executable tapping the fleet as a user runs it: Ctrl-C (SIGINT) ends the stream cleanly.</summary>
[Collection(TapCliFleetCollection.Name)]
public sealed class TapProcessTests(TapCliFleetFixture fleet)
{
    [Fact]
    public async Task Ctrl_c_ends_tap_with_exit_0_and_only_whole_lines_on_stdout()
    {
        // Started as a terminal's foreground job is, with SIGINT at its default: a job that a non-interactive shell
        // starts in the background (`./test.sh &`) inherits SIGINT ignored, every process below it too, and .NET leaves
        // an inherited SIG_IGN alone, so the Ctrl-C below would never reach the verb.
        var info = new ProcessStartInfo("/usr/bin/env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--default-signal=INT", CliProcess.Executable, "tap", "deploy/test-1", .. fleet.Globals])
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

    /// <summary>What a terminal's Ctrl-C sends.</summary>
    private static async Task Interrupt(int pid)
    {
        using var kill = Process.Start("/bin/bash", ["-c", $"kill -INT {pid}"]);
        await kill.WaitForExitAsync(TestTimeouts.Token).Within();
        Assert.Equal(0, kill.ExitCode);
    }
}
