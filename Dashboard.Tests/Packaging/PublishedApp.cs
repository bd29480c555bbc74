using System.Diagnostics;
using System.Text;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// A published output started as its image starts it: the Dockerfile's command, in its working directory, with the
/// image's environment and the overrides a <c>docker run -e</c> would give; nothing inherited that a container lacks.
/// </summary>
internal sealed class PublishedApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PublishedApp(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
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

    public bool HasExited => _process.HasExited;

    /// <param name="baseImage">What the base image sets before the Dockerfile's ENV (the aspnet images set ASPNETCORE_HTTP_PORTS).</param>
    public static PublishedApp Start(Dockerfile dockerfile, string directory, IReadOnlyDictionary<string, string> baseImage, IReadOnlyDictionary<string, string> overrides)
    {
        var command = dockerfile.Command;
        var info = new ProcessStartInfo(command[0]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MESH_PROXY_", StringComparison.Ordinal) || k.StartsWith("Dashboard__", StringComparison.Ordinal)
            || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal) || k.StartsWith("KUBERNETES_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in baseImage.Concat(dockerfile.Environment).Concat(overrides))
        {
            info.Environment[key] = value;
        }

        return new PublishedApp(Process.Start(info)!);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
