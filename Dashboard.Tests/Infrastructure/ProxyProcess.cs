using System.Diagnostics;

namespace Dashboard.Tests.Infrastructure;

/// <summary>The proxy as a separate OS process, for what only a process shows: signals, exit codes, stderr.</summary>
public sealed class ProxyProcess : IAsyncDisposable
{
    private readonly CapturedProcess _process;

    private ProxyProcess(CapturedProcess process) => _process = process;

    public string Output => _process.Output;

    /// <summary>Completes when the proxy printed its listening line.</summary>
    public Task Started => _process.WaitForLineAsync(line => line.StartsWith("proxy ", StringComparison.Ordinal));

    public static ProxyProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(RepoPaths.ProxyDll);
        foreach (var arg in args)
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

        return new ProxyProcess(CapturedProcess.Start(info));
    }

    /// <summary>What a container stop sends.</summary>
    public void Terminate() => _process.Signal(15);

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
