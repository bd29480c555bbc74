using System.Diagnostics;
using System.Text;

namespace Dashboard.Tests.Infrastructure;

/// <summary>The dashboard as its own process (as ./run.sh starts it), on a free loopback port.</summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DashboardProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Url { get; }

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

    public static async Task<DashboardProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var port = TestPorts.Free();
        var url = new Uri($"http://127.0.0.1:{port}/");
        // The app's own build output, run as `dotnet run` would: Development serves static web assets from the build.
        var dll = Path.Combine(AppContext.BaseDirectory, "Dashboard.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "--urls", url.ToString().TrimEnd('/'), "--contentRoot", Path.Combine(RepoPaths.Root, "Dashboard") })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment["Dashboard__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var dashboard = new DashboardProcess(Process.Start(info)!, url);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await TestTimeouts.Eventually(async () =>
        {
            Assert.False(dashboard._process.HasExited, $"the dashboard exited at start-up:\n{dashboard.Output}");
            try
            {
                return (await http.GetAsync(url, TestTimeouts.Token)).IsSuccessStatusCode;
            }
            // A first answer slower than the client's timeout (a cold start on busy cores) is "not yet", like a refusal.
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !TestTimeouts.Token.IsCancellationRequested)
            {
                return false;
            }
        }, "the dashboard to answer", TestTimeouts.Slow);
        return dashboard;
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
