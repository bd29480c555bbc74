using System.Diagnostics;
using Dashboard.Cli;

namespace Dashboard.Tests.Cli;

/// <summary>The built executable tapping the fleet as a user runs it: Ctrl-C (SIGINT) ends the stream cleanly.</summary>
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
}
