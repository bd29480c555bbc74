using System.Diagnostics;

namespace Dashboard.Tests.Packaging;

internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;
}

/// <summary>Runs a command-line tool of the packaging (promtool, docker-compose, node, the publish script) to its end, bounded.</summary>
internal static class Tool
{
    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot run {file}: {ex.Message}; ./test.sh installs what the tests need", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(TestTimeouts.Token);
            var stderr = process.StandardError.ReadToEndAsync(TestTimeouts.Token);
            try
            {
                await process.WaitForExitAsync(TestTimeouts.Token).WaitAsync(timeout, TestTimeouts.Token);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}");
            }

            return new ToolResult(process.ExitCode, await stdout, await stderr);
        }
    }
}
