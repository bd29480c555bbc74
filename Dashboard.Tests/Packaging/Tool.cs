using System.Diagnostics;

namespace Dashboard.Tests.Packaging;

/// <summary>Runs a command-line tool of the packaging (promtool, docker-compose, node, the publish script) to its end, bounded.</summary>
internal static class Tool
{
    public static Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory ?? RepoPaths.Root };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return CapturedProcess.RunAsync(info, timeout);
    }
}
