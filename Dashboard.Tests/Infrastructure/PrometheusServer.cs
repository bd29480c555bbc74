using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dashboard.Tests.Infrastructure;

/// <summary>A real Prometheus (Debian's package) on a loopback port, with its own data directory.</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    private readonly CapturedProcess _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(CapturedProcess process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
        _http = new HttpClient { BaseAddress = url, Timeout = TestTimeouts.Default };
    }

    public Uri Url { get; }

    /// <summary>The dashboard's recording rules, as run.sh, compose and the cluster's ConfigMap load them.</summary>
    public static string RecordingRulesFile { get; } = Path.Combine(RepoPaths.Root, "docker", "prometheus", "rules.yml");

    /// <param name="scrapeConfigs">The YAML list under <c>scrape_configs:</c>, indented by two spaces.</param>
    /// <param name="recordingRules">Load <see cref="RecordingRulesFile"/>, as every Prometheus we ship does.</param>
    public static async Task<PrometheusServer> StartAsync(string scrapeConfigs, string scrapeInterval = "1s", int? port = null, bool recordingRules = true)
    {
        Assert.True(File.Exists(Binary), $"{Binary} not found: ./test.sh installs it (apt-get install --no-install-recommends prometheus)");
        var directory = Directory.CreateTempSubdirectory("dashboard-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: {scrapeInterval}
              evaluation_interval: {scrapeInterval}
            rule_files: [{(recordingRules ? RecordingRulesFile : "")}]
            scrape_configs:
            {scrapeConfigs}
            """, TestTimeouts.Token);
        port ??= TestPorts.Free();
        var info = new ProcessStartInfo(Binary);
        foreach (var arg in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = CapturedProcess.Start(info);
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await TestTimeouts.Eventually(async () =>
            {
                Assert.False(process.Process.HasExited, $"prometheus exited at start-up:\n{process.Output}");
                try
                {
                    return (await server._http.GetAsync("/-/ready", TestTimeouts.Token)).IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, "prometheus to be ready");
        }
        catch
        {
            await server.DisposeAsync(); // a server that never got ready must not outlive the test
            throw;
        }

        return server;
    }

    /// <summary>An instant query; the <c>data.result</c> array.</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        var response = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(promql)}", TestTimeouts.Token).Within();
        Assert.Equal("success", response.GetProperty("status").GetString());
        return response.GetProperty("data").GetProperty("result");
    }

    /// <summary>The value of the first series an instant query returns, or null when it returns none.</summary>
    public async Task<double?> ValueAsync(string promql)
    {
        var result = await QueryAsync(promql);
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
