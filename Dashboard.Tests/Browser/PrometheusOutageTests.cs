using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Tests.Kubernetes;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

/// <summary>Prometheus goes away and comes back: a banner names it, the page keeps working, and recovers by itself.</summary>
public sealed class PrometheusOutageTests
{
    [Fact]
    public async Task A_banner_names_the_unreachable_prometheus_the_page_keeps_working_and_recovers()
    {
        await using var api = await KubeApiHost.StartAsync(KubeSeed.Create(new KubeStore()));
        var port = TestPorts.Free();
        var scrapeItself = $"""
              - job_name: self
                static_configs: [{"{"}targets: ['127.0.0.1:{port}']{"}"}]
            """;
        var prometheus = await PrometheusServer.StartAsync(scrapeItself, port: port);
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Prometheus:Url"] = prometheus.Url.ToString(),
            ["Prometheus:ScrapeInterval"] = "1s",
            ["Prometheus:Timeout"] = "2s",
            ["Kubernetes:Url"] = api.Url,
            ["RefreshInterval"] = "1s",
        });
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.NewPageAsync();
        var banner = page.Locator(".source-banner[data-source='prometheus']");

        await page.GotoAsync(new Uri(dashboard.Url, "namespaces/default/deployments").ToString()).Within();
        await Assertions.Expect(page.Locator("tr[data-name='web']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".empty-reason")).ToContainTextAsync("The deployment web in namespace default has no meshed pod");
        await Assertions.Expect(banner).ToHaveCountAsync(0);

        await prometheus.DisposeAsync();
        await Assertions.Expect(banner).ToContainTextAsync($"Prometheus at http://127.0.0.1:{port} is unreachable", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("tr[data-name='web']")).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, "prometheus-down");

        // Still a working page: navigation and the inventory's rows go on.
        await BrowserSession.WaitUntilLiveAsync(page);
        await page.Locator("a", new() { HasText = "Namespaces" }).First.ClickAsync().Within();
        await Assertions.Expect(page.Locator("tr[data-name='default']")).ToBeVisibleAsync();
        await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 20_000 });

        prometheus = await PrometheusServer.StartAsync(scrapeItself, port: port);
        await using (prometheus)
        {
            await Assertions.Expect(banner).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        }
    }
}
