using System.Diagnostics;

namespace Dashboard.Tests.Infrastructure;

/// <summary>The dashboard as its own process (as ./run.sh starts it), on a free loopback port.</summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly CapturedProcess _process;

    private DashboardProcess(CapturedProcess process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public string Output => _process.Output;

    /// <param name="alsoListen">Another address to listen on at the same port (a fleet pod's, for a port-forward to it).</param>
    public static async Task<DashboardProcess> StartAsync(IReadOnlyDictionary<string, string> settings, System.Net.IPAddress? alsoListen = null)
    {
        var port = TestPorts.Free();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var urls = alsoListen is null ? url.ToString().TrimEnd('/') : $"{url.ToString().TrimEnd('/')};http://{alsoListen}:{port}";
        // The app's own build output, run as `dotnet run` would: Development serves static web assets from the build.
        var dll = Path.Combine(AppContext.BaseDirectory, "dashboard.dll");
        var info = new ProcessStartInfo("dotnet");
        foreach (var arg in new[] { dll, "serve", "--urls", urls, "--contentRoot", Path.Combine(RepoPaths.Root, "Dashboard") })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // Its own lines from Information, ASP.NET Core's per-request ones not: the test's log holds them (TestLog).
        info.Environment["Logging__LogLevel__Default"] = "Information";
        info.Environment["Logging__LogLevel__Microsoft"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment["Dashboard__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var dashboard = new DashboardProcess(CapturedProcess.Start(info), url);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        try
        {
            await TestTimeouts.Eventually(async () =>
            {
                Assert.False(dashboard._process.Process.HasExited, $"the dashboard exited at start-up:\n{dashboard.Output}");
                try
                {
                    return (await http.GetAsync(url, TestTimeouts.Token)).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException) when (!TestTimeouts.Token.IsCancellationRequested)
                {
                    return false; // a first render slower than the client's timeout on a busy machine: ask again
                }
            }, "the dashboard to answer", TestTimeouts.Slow);
        }
        catch
        {
            // A fixture whose start fails is never disposed: the process would outlive the test run.
            await dashboard.DisposeAsync();
            throw;
        }

        return dashboard;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
