using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

/// <summary>
/// A resource page in headless Chromium over the real fleet: its own row, charts drawn from range queries, who
/// calls it and whom it calls (from the callers' outbound proxies), its pods, links between them.
/// </summary>
[Collection(DashboardFixture.Collection)]
public sealed partial class ResourcePageTests(DashboardFixture fixture)
{
    [GeneratedRegex(@"\d+\.\d\d%")]
    private static partial Regex Percent();

    private static ILocator Panel(IPage page, string relation) => page.Locator($"section.stat-panel[data-relation='{relation}']");

    private static ILocator Cell(ILocator panel, string name, int column) => panel.Locator($"tr[data-name='{name}'] td").Nth(column);

    [Fact]
    public async Task The_ml_page_shows_its_numbers_charts_callers_and_pods()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "namespaces/default/deployments/ml").ToString()).Within();

        await Assertions.Expect(page.Locator(".resource-header .meshed")).ToHaveTextAsync("meshed 2/2");
        await Assertions.Expect(Cell(Panel(page, "self"), "ml", 2)).ToHaveTextAsync(Percent(), new() { Timeout = 45_000 });

        // test-1 is ml's only meshed caller (the fleet's manifest); the column after Namespace is the name.
        var inbound = Panel(page, "callers");
        await Assertions.Expect(Cell(inbound, "test-1", 3)).ToHaveTextAsync(Percent(), new() { Timeout = 45_000 });
        await Assertions.Expect(inbound.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(Panel(page, "destinations").Locator(".empty-reason")).ToContainTextAsync("Deployment ml sent no requests through its proxy");
        await Assertions.Expect(Panel(page, "pods").Locator("tbody tr")).ToHaveCountAsync(2);

        // Charts: apexcharts draws an SVG per chart once the circuit has loaded the range queries.
        await BrowserSession.WaitUntilLiveAsync(page);
        foreach (var metric in new[] { "successrate", "rps", "latency" })
        {
            await Assertions.Expect(page.Locator($".timeline-chart[data-metric='{metric}'] svg.apexcharts-svg")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        }

        await Assertions.Expect(page.Locator(".timeline-chart[data-metric='rps'] .chart-latest")).ToHaveTextAsync(new Regex(@"rps$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".timeline-chart[data-metric='rps'] .apexcharts-series path").First).ToBeAttachedAsync();
        // Tap is off in this fixture (no token): the live calls panel says so in one line instead of failing.
        await Assertions.Expect(page.Locator("section.live-calls")).ToContainTextAsync("Tap", new() { Timeout = 30_000 });
        await BrowserSession.ScreenshotAsync(page, "resource-ml");
        // The charts follow the theme (a page error here fails the test too).
        await BrowserSession.DarkAsync(page);
        await Assertions.Expect(page.Locator(".timeline-chart[data-metric='rps'] .apexcharts-canvas.apexcharts-theme-dark")).ToHaveCountAsync(1);
        await BrowserSession.ScreenshotAsync(page, "resource-ml-dark");

        // A caller links to its own page, whose outbound table has ml.
        await inbound.Locator("tr[data-name='test-1'] td.name a").ClickAsync().Within();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("namespaces/default/deployments/test-1$"));
        await Assertions.Expect(Cell(Panel(page, "destinations"), "ml", 3)).ToHaveTextAsync(Percent(), new() { Timeout = 45_000 });
        await page.CloseAsync().Within();
    }

    [Fact]
    public async Task The_edges_table_shows_mtls_identities_between_meshed_pods_and_the_reason_for_plaintext()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "namespaces/default/deployments/test-2").ToString()).Within();
        var edges = page.Locator("section.edges-panel .edges-table tbody tr");

        // test-2's caller is the fleet's external client (no proxy, plaintext); it calls test-1 over mTLS.
        var external = edges.Filter(new() { Has = page.Locator("td.source .absent") });
        await Assertions.Expect(external).ToHaveCountAsync(1, new() { Timeout = 45_000 });
        await Assertions.Expect(external.Locator("td")).ToHaveTextAsync(["unmeshed clients", "test-2", "-", "-", "no_tls_from_remote"]);

        var toTest1 = edges.Filter(new() { Has = page.Locator("td.destination a", new() { HasText = "test-1" }) });
        await Assertions.Expect(toTest1.Locator("td")).ToHaveTextAsync(
            ["test-2", "test-1", "test-2.default.serviceaccount.identity.cluster.local", "test-1.default.serviceaccount.identity.cluster.local", "✓"],
            new() { Timeout = 45_000 });
        await Assertions.Expect(edges).ToHaveCountAsync(2);

        // On test-1's page the same edge is seen from the other side: the identity test-1's proxies saw test-2 present.
        await toTest1.Locator("td.destination a").ClickAsync().Within();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("namespaces/default/deployments/test-1$"));
        var fromTest2 = page.Locator("section.edges-panel tbody tr").Filter(new() { Has = page.Locator("td.source a", new() { HasText = "test-2" }) });
        await Assertions.Expect(fromTest2.Locator("td.client-id")).ToHaveTextAsync("test-2.default.serviceaccount.identity.cluster.local", new() { Timeout = 45_000 });
        await BrowserSession.ScreenshotAsync(page, "resource-edges");
        await page.CloseAsync().Within();
    }

    [Fact]
    public async Task Compare_previous_shows_each_number_beside_the_window_before_and_the_unmeshed_callers_of_test_2()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "namespaces/default/deployments/test-2?window=15s&compare=previous").ToString()).Within();
        var self = Panel(page, "self");

        // Both windows: the value, then "← the previous 15s's value", then the change.
        await Assertions.Expect(self.Locator(".compare-note")).ToContainTextAsync("the previous 15s", new() { Timeout = 45_000 });
        await Assertions.Expect(self.Locator("tr[data-name='test-2'] td[data-column='rps']"))
            .ToHaveTextAsync(new Regex(@"^\d+(\.\d+)?rps ← \d+(\.\d+)?rps (▲ |▼ )?([+-]\d+(\.\d+)?rps|±0)$"), new() { Timeout = 60_000 });
        await Assertions.Expect(self.Locator("tr[data-name='test-2'] td[data-column='p99'] .was")).ToHaveTextAsync(new Regex(@"^← \d+(µs|ms|\.\d\ds)$"));

        // test-2's only caller is outside the mesh: its row is there, with numbers and no link.
        var unmeshed = Panel(page, "callers").Locator("tr.unmeshed-clients");
        await Assertions.Expect(unmeshed.Locator("td.name")).ToHaveTextAsync("unmeshed clients", new() { Timeout = 45_000 });
        await Assertions.Expect(unmeshed.Locator("td[data-column='tls']")).ToHaveTextAsync(new Regex("^0% ← "));
        await Assertions.Expect(unmeshed.Locator("a")).ToHaveCountAsync(0);
        await Assertions.Expect(Panel(page, "callers").Locator(".row-count")).ToHaveTextAsync("unmeshed clients only");
        await BrowserSession.ScreenshotAsync(page, "resource-compare");
        await BrowserSession.DarkAsync(page);
        await BrowserSession.ScreenshotAsync(page, "resource-compare-dark");

        // The control beside the window selector clears it.
        await BrowserSession.WaitUntilLiveAsync(page);
        await page.Locator(".compare-previous").ClickAsync().Within();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("compare="));
        await Assertions.Expect(self.Locator(".was")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await page.CloseAsync().Within();
    }

    [Fact]
    public async Task A_pod_page_names_its_deployment_and_an_unknown_resource_says_so()
    {
        var page = await fixture.Browser.NewPageAsync();
        var pod = fixture.Fleet.Store.List<k8s.Models.V1Pod>("default").First(p => p.Metadata.Name.StartsWith("ml-", StringComparison.Ordinal)).Metadata.Name;
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, $"namespaces/default/pods/{pod}").ToString()).Within();

        await Assertions.Expect(page.Locator(".resource-header a", new() { HasText = "deployment/ml" })).ToHaveAttributeAsync("href", "namespaces/default/deployments/ml");
        await Assertions.Expect(Cell(Panel(page, "self"), pod, 2)).ToHaveTextAsync(Percent(), new() { Timeout = 45_000 });
        await Assertions.Expect(Panel(page, "pods")).ToHaveCountAsync(0);

        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "namespaces/default/deployments/nope").ToString()).Within();
        await Assertions.Expect(page.Locator(".resource-header .presence")).ToHaveTextAsync("not found");
        await Assertions.Expect(page.GetByText("There is no deployment 'nope' in namespace default now")).ToBeVisibleAsync();
        await page.CloseAsync().Within();
    }
}
