using System.Diagnostics;

namespace Dashboard.Tests.Kubernetes;

/// <summary>
/// Runs the real kubectl against a server with a fresh, empty HOME and KUBECONFIG, so that no
/// config or discovery cache on the machine takes part, and with a timeout.
/// </summary>
internal sealed class Kubectl : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("kubectl-home-");

    // An empty config rather than a missing file: older kubectl versions warn about a missing one.
    public Kubectl() => File.WriteAllText(ConfigPath, "apiVersion: v1\nkind: Config\n");

    private string ConfigPath => Path.Combine(_home.FullName, "config");

    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);

    public Task<ProcessResult> RunAsync(string server, params string[] args)
    {
        var path = Find();
        Assert.True(path is not null, "kubectl was not found on PATH or in /usr/bin; these tests run the real kubectl, install it first.");
        var start = new ProcessStartInfo(path);
        foreach (var arg in (string[])["--server", server, "--request-timeout=10s", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = _home.FullName;
        start.Environment["KUBECONFIG"] = ConfigPath;
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        start.Environment.Remove("KUBERNETES_SERVICE_PORT");
        return CapturedProcess.RunAsync(start, Timeout);
    }

    public void Dispose() => _home.Delete(recursive: true);
}
