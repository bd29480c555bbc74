using Dashboard.Tests.Fleet;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

/// <summary>
/// The dashboard in a real headless Chromium, over the real fleet and Prometheus: live numbers, the window in
/// the URL, and a Prometheus outage that leaves the page working with a banner. Screenshots go to TestResults/.
/// </summary>
[Collection(DashboardFixture.Collection)]
public sealed class DeploymentsPageTests(DashboardFixture fixture)
{
    private Uri Page(string path) => new(fixture.Dashboard.Url, path);

    // Columns of a one-namespace table: name, meshed, success, RPS, P50, P95, P99, TLS.
    private const int Meshed = 1, Success = 2, Rps = 3;

    private static ILocator Cell(IPage page, string deployment, int column) =>
        page.Locator($"tr[data-name='{deployment}'] td").Nth(column);

    [Fact]
    public async Task The_deployments_table_shows_live_numbers_for_the_seed_services()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(Page("namespaces/default/deployments").ToString()).Within();

        foreach (var name in new[] { "ml", "test-1", "test-2" })
        {
            // Success, then RPS: numbers, not "-", once Prometheus has two scrapes of the proxies.
            await Assertions.Expect(Cell(page, name, Success)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d+\.\d\d%"), new() { Timeout = 45_000 });
            await Assertions.Expect(Cell(page, name, Rps)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"rps$"));
        }

        await Assertions.Expect(Cell(page, "ml", Meshed)).ToHaveTextAsync("2/2");
        await Assertions.Expect(Cell(page, "legacy", Meshed)).ToHaveTextAsync("0/1");
        await Assertions.Expect(Cell(page, "legacy", Success)).ToHaveTextAsync("-");
        var panel = page.Locator("section.stat-panel");
        var before = await panel.GetAttributeAsync("data-loaded-at").Within();
        await BrowserSession.ScreenshotAsync(page, "deployments-default");

        // Live: the table reloads without a page reload (steady traffic may well keep every number the same).
        await BrowserSession.WaitUntilLiveAsync(page);
        await Assertions.Expect(panel).Not.ToHaveAttributeAsync("data-loaded-at", before!, new() { Timeout = 30_000 });
        await Assertions.Expect(Cell(page, "ml", Rps)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"rps$"));
        await page.CloseAsync().Within();
    }

    [Fact]
    public async Task The_window_selector_puts_the_window_in_the_url_and_reloads_the_numbers()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(Page("namespaces/default/deployments").ToString()).Within();
        await Assertions.Expect(Cell(page, "ml", Success)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"%$"), new() { Timeout = 45_000 });
        await BrowserSession.WaitUntilLiveAsync(page);

        await page.Locator("button[data-window='15s']").ClickAsync().Within();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"window=15s"));
        await Assertions.Expect(page.Locator("button[data-window='15s']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled"));
        await Assertions.Expect(Cell(page, "ml", Rps)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"rps$"));

        // A link reproduces the view.
        var again = await fixture.Browser.NewPageAsync();
        await again.GotoAsync(page.Url).Within();
        await Assertions.Expect(again.Locator("button[data-window='15s']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled"));
        await BrowserSession.ScreenshotAsync(again, "deployments-window-15s");
        await page.CloseAsync().Within();
        await again.CloseAsync().Within();
    }

    [Fact]
    public async Task Under_a_path_base_links_assets_and_the_live_circuit_work_and_slash_focuses_the_filter()
    {
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Prometheus:Url"] = fixture.Prometheus.Url.ToString(),
            ["Prometheus:ScrapeInterval"] = "1s",
            ["Kubernetes:Url"] = fixture.Api.ToString(),
            ["RefreshInterval"] = "1s",
            ["PathBase"] = "/dashboard",
        });
        var page = await fixture.Browser.NewPageAsync();

        await page.GotoAsync(new Uri(dashboard.Url, "dashboard/namespaces/default/deployments").ToString()).Within();

        await Assertions.Expect(Cell(page, "ml", Success)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"%$"), new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("tr[data-name='ml'] td.name a")).ToHaveAttributeAsync("href", "namespaces/default/deployments/ml");

        // The circuit's first interop marks the page live: /dashboard/_blazor works too. The filter below needs it.
        await BrowserSession.WaitUntilLiveAsync(page);
        await page.Keyboard.PressAsync("/").Within();
        await Assertions.Expect(page.Locator("#table-filter")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("test-*").Within();
        await Assertions.Expect(page.Locator("tr[data-name='ml']")).ToHaveCountAsync(0);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/dashboard/namespaces/default/deployments\?filter=test-"));
        await page.Locator("a", new() { HasText = "Namespaces" }).First.ClickAsync().Within();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/dashboard/namespaces$"));
        await Assertions.Expect(page.Locator("tr[data-name='default']")).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, "namespaces-under-path-base");
        await page.CloseAsync().Within();
    }
}
