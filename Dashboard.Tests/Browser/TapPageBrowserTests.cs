using System.Text.Json;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

/// <summary>
/// /tap in a real headless Chromium over the real fleet: autostart from the URL shows rows while traffic flows, pause
/// holds them, the NDJSON export holds what is shown; screenshots of /tap and /top in light and dark theme.
/// </summary>
public sealed class TapPageBrowserTests(TapPageBrowserTests.Fixture fixture) : IClassFixture<TapPageBrowserTests.Fixture>
{
    public sealed class Fixture : BrowserFleetFixture
    {
        protected override byte IpOctet => 31;

        protected override Dictionary<string, string> DashboardSettings()
        {
            var settings = base.DashboardSettings();
            settings["Tap:Token"] = TapToken;
            return settings;
        }
    }

    private async Task<IPage> OpenAsync(string path)
    {
        var page = await fixture.Browser.NewPageAsync(new BrowserNewPageOptions { AcceptDownloads = true });
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, path).ToString()).Within();
        return page;
    }

    [Fact]
    public async Task Tap_with_autostart_shows_rows_pause_holds_them_and_the_export_has_them()
    {
        var page = await OpenAsync("tap?namespace=default&resource=deploy/test-1&autostart=true");
        // The stop button shows once the circuit is live and the tap started; rows follow (test-1 serves 4 requests a second
        // and sends 8), within seconds even while the suite's other fleets keep both cores busy.
        await Assertions.Expect(page.Locator("button.tap-stop")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("tr.tap-row[data-complete=true]").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=cli-command]")).ToHaveTextAsync("dashboard tap deploy/test-1 --namespace default");
        await Assertions.Expect(page.Locator("tr.tap-row td.destination").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(ml|test-1)-"));

        await page.Locator("tr.tap-row[data-complete=true]").First.ClickAsync().Within();
        await Assertions.Expect(page.Locator("tr.tap-details")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)").Within();
        await BrowserSession.ScreenshotAsync(page, "tap-light");

        // Paused: events are held, the rows on screen stay as they were.
        await page.Locator("button.tap-pause").ClickAsync().Within();
        await Assertions.Expect(page.Locator(".tap-paused")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"Paused: [1-9]\d* events held"), new() { Timeout = 10_000 });
        var shown = await page.Locator("tr.tap-row").EvaluateAllAsync<string[][]>("rows => rows.map(r => [r.dataset.id, r.dataset.complete])").Within();
        var first = shown[0][0];
        await Assertions.Expect(page.Locator(".tap-paused")).Not.ToHaveTextAsync(await page.Locator(".tap-paused").InnerTextAsync().Within());
        Assert.Equal(first, await page.Locator("tr.tap-row").First.GetAttributeAsync("data-id").Within());

        // The export holds every completed row on screen.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("button.export-ndjson").ClickAsync()).Within();
        var path = Path.Combine(BrowserSession.ScreenshotDirectory, "tap-session.ndjson");
        await download.SaveAsAsync(path).Within();
        var exported = (await File.ReadAllLinesAsync(path, TestTimeouts.Token))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(r => $"{r.GetProperty("pod").GetString()}#{r.GetProperty("id").GetProperty("base").GetInt32()}:{r.GetProperty("id").GetProperty("stream").GetInt64()}")
            .ToHashSet();
        var completedShown = shown.Where(r => r[1] == "true").Select(r => r[0]).ToList();
        Assert.NotEmpty(completedShown);
        Assert.All(completedShown, id => Assert.Contains(id, exported));

        // Resumed: what was held shows, and new rows come in on top.
        await page.Locator("button.tap-pause").ClickAsync().Within();
        await Assertions.Expect(page.Locator("tr.tap-row").First).Not.ToHaveAttributeAsync("data-id", first);
        await Assertions.Expect(page.Locator(".tap-paused")).ToHaveCountAsync(0);

        await BrowserSession.DarkAsync(page);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)").Within();
        await BrowserSession.ScreenshotAsync(page, "tap-dark");
        await page.CloseAsync().Within();
    }

    [Fact]
    public async Task Top_with_autostart_aggregates_by_path_with_a_tap_link()
    {
        var page = await OpenAsync("top?namespace=default&resource=deploy/ml&autostart=true");

        await Assertions.Expect(page.Locator("tr.top-row[data-path='/v1/test-1']").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("tr.top-row td.count").First).Not.ToHaveTextAsync("0");
        await BrowserSession.ScreenshotAsync(page, "top-light");
        await BrowserSession.DarkAsync(page);
        await BrowserSession.ScreenshotAsync(page, "top-dark");

        await page.Locator("tr.top-row a.tap-link").First.ClickAsync().Within();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/tap\?.*path=%2Fv1%2Ftest-1.*autostart=true"));
        await Assertions.Expect(page.Locator("tr.tap-row").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await page.CloseAsync().Within();
    }
}
