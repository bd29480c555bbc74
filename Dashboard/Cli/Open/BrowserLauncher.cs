using System.ComponentModel;
using System.Diagnostics;

namespace Dashboard.Cli.Open;

/// <summary>Opens a URL in the user's browser the way each desktop expects; false when there is none (a server, SSH).</summary>
public static class BrowserLauncher
{
    public static bool TryOpen(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var (command, argument) = OperatingSystem.IsWindows() ? ("explorer.exe", url.AbsoluteUri)
            : OperatingSystem.IsMacOS() ? ("open", url.AbsoluteUri)
            : ("xdg-open", url.AbsoluteUri);
        if (!OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS()
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, [argument]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
            return process is not null;
        }
        catch (Win32Exception)
        {
            return false; // no such command
        }
    }
}
