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

    public static ProxyProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) => StartUnder([], environment, args);

    /// <summary>
    /// Starts the proxy under <paramref name="prefix"/>, commands that each exec the next (e.g. <c>ip netns exec POD</c>
    /// and <c>setpriv</c>), so the process is the proxy's own and stopping it stops the proxy.
    /// </summary>
    public static ProxyProcess StartUnder(string[] prefix, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string[] command = [.. prefix, "dotnet", RepoPaths.ProxyDll];
        var info = new ProcessStartInfo(command[0]);
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

        return new ProxyProcess(CapturedProcess.Start(info));
    }

    /// <summary>What a container stop sends.</summary>
    public void Terminate() => _process.Signal(15);

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
