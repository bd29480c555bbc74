using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Dashboard.Tests.Infrastructure;

/// <summary>The proxy as a separate OS process, for what only a process shows: signals, exit codes, stderr.</summary>
public sealed partial class ProxyProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProxyProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data, isOutput: true);
        process.ErrorDataReceived += (_, e) => Append(e.Data, isOutput: false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ProxyProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) => StartUnder([], environment, args);

    /// <summary>
    /// Starts the proxy under <paramref name="prefix"/>, commands that each exec the next (e.g. <c>ip netns exec POD</c>
    /// and <c>setpriv</c>), so the process is the proxy's own and stopping it stops the proxy.
    /// </summary>
    public static ProxyProcess StartUnder(string[] prefix, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string[] command = [.. prefix, "dotnet", RepoPaths.ProxyDll];
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1).Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MESH_PROXY_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return new ProxyProcess(Process.Start(info)!);
    }

    /// <summary>Completes when the proxy printed its listening line.</summary>
    public Task Started => _started.Task;

    public void Terminate() => Assert.Equal(0, Kill(_process.Id, 15));

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync(TestTimeouts.Token).WaitAsync(timeout, TestTimeouts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line, bool isOutput)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (isOutput && line.StartsWith("proxy ", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
