using System.Text.RegularExpressions;
using Dashboard.Tests.Fleet;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

/// <summary>
/// "Why is it slow?" in headless Chromium over <c>spike-external.yaml</c>: front's external client spikes, its meshed caller
/// does not. The table's badge leads to the spike panel, which names the unmeshed clients with the evidence; the panel's
/// investigation has its own page, its query in the URL.
/// </summary>
[Collection(SpikesBrowserFixture.Collection)]
public sealed class SpikesBrowserTests(SpikesBrowserFixture fixture)
{
    // Two spikes of front's external client (every 30s) inside the dashboard's lookback, and the panels' refresh.
    private static readonly LocatorAssertionsToBeVisibleOptions Spiked = new() { Timeout = 150_000 };

    [Fact]
    public async Task A_badge_leads_to_the_spike_panel_that_names_the_unmeshed_clients_with_its_evidence()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "namespaces/spikes/deployments").ToString()).Within();

        var badge = page.Locator("tr[data-name='front'] a.spike-badge");
        await Assertions.Expect(badge).ToBeVisibleAsync(Spiked);
        await Assertions.Expect(badge).ToHaveTextAsync(new Regex(@"^\d+ spikes?$"));
        await Assertions.Expect(badge).ToHaveAttributeAsync("title", new Regex(@"in the last 2m: see why$"));
        await Assertions.Expect(page.Locator("tr[data-name='batch'] a.spike-badge")).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(page, "spike-badges");

        await BrowserSession.WaitUntilLiveAsync(page);
        await badge.ClickAsync().Within();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("namespaces/spikes/deployments/front#spikes$"));
        var panel = page.Locator("section#spikes");
        await Assertions.Expect(panel.Locator("h6")).ToHaveTextAsync("Spikes in the last 2m");
        var unmeshed = panel.Locator(".cause[data-name='unmeshed clients']").First;
        await Assertions.Expect(unmeshed).ToBeVisibleAsync(Spiked);
        await Assertions.Expect(panel.Locator(".diagnosis-summary")).ToContainTextAsync("only unmeshed clients were slow", new() { Timeout = 60_000 });
        await Assertions.Expect(unmeshed.Locator(".evidence")).ToHaveTextAsync(new Regex(@"^unmeshed clients: P9[59] \d+ms during the episode vs \d+(\.\d)?ms baseline"));
        await Assertions.Expect(panel.Locator(".cause[data-name='deployment/batch']")).ToHaveCountAsync(0);
        // Tap is on: the panel sampled front's requests, and the slow ones were the external client's path only.
        await Assertions.Expect(panel.Locator(".cause[data-kind='path'][data-name='/v1/quote']").First).ToBeVisibleAsync(Spiked);
        await Assertions.Expect(panel.Locator(".cause[data-kind='path'][data-name='/v1/quote'] .evidence").First)
            .ToContainTextAsync(new Regex(@"tapped requests; /v1/batch stayed at \d+(\.\d)?ms$"));
        await Assertions.Expect(panel.Locator(".paths-note")).ToHaveTextAsync(new Regex(@"^Paths judged from \d+ tapped requests\.$"));
        await Assertions.Expect(panel.Locator(".timeline-chart[data-metric='evidence'] svg.apexcharts-svg")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(panel.Locator(".timeline-chart[data-metric='evidence'] .apexcharts-xaxis-annotations rect").First).ToBeAttachedAsync();
        await panel.ScrollIntoViewIfNeededAsync().Within();
        await BrowserSession.ScreenshotAsync(page, "spikes-panel");
        await BrowserSession.DarkAsync(page);
        await BrowserSession.ScreenshotAsync(page, "spikes-panel-dark");

        // The panel's own page: the same diagnosis, its query in the URL and in the form.
        await panel.Locator("a.investigate-link").ClickAsync().Within();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"investigate\?namespace=spikes&resource=deployment%2Ffront&lookback=2m$"));
        await Assertions.Expect(page.Locator("input.resource")).ToHaveValueAsync("deployment/front");
        await Assertions.Expect(page.Locator("section#spikes .cause[data-name='unmeshed clients']").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("section#spikes a.investigate-link")).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(page, "investigate-dark");
        await page.CloseAsync().Within();
    }

    [Fact]
    public async Task An_investigation_url_that_names_no_resource_says_what_to_give()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "investigate?namespace=spikes&resource=front&lookback=soon").ToString()).Within();

        await Assertions.Expect(page.Locator(".url-problem")).ToHaveTextAsync(
            "Lookback 'soon' is not a duration in whole seconds up to 30d, such as 15s, 1m or 1h; looking back 2m; " +
            "resource 'front' is not TYPE/NAME, such as deployment/test-2 (types: deployment, statefulset, daemonset, job, pod, namespace).");
        await Assertions.Expect(page.Locator("section#spikes")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("select.namespace")).ToHaveValueAsync("spikes");
        await page.CloseAsync().Within();
    }
}
