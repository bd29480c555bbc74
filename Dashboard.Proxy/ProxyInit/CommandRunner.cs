using System.ComponentModel;
using System.Diagnostics;

namespace Dashboard.Proxy.ProxyInit;

/// <summary>Runs one iptables command to its end.</summary>
public static class CommandRunner
{
    /// <summary>iptables returns at once; one that hangs (a held xtables lock) is reported instead of stalling the pod's start.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<CommandResult> RunAsync(FirewallCommand command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command.File) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            return new CommandResult(127, "", $"cannot run {command.File}: {ex.Message}");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                return new CommandResult(124, "", $"{command.File} did not finish within {Timeout.TotalSeconds:0}s");
            }

            return new CommandResult(process.ExitCode, await stdout, await stderr);
        }
    }
}
