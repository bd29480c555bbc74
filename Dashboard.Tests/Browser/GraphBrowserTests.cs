using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

/// <summary>
/// The service graph in headless Chromium over the real fleet and Prometheus: it draws the demo's deployments in the
/// default namespace's box, keeps every node where it is when a refresh comes, hides what the hide box matches, and a
/// click on a node shows its numbers and links beside the graph.
/// </summary>
[Collection(DashboardFixture.Collection)]
public sealed class GraphBrowserTests(DashboardFixture fixture)
{
    private const string Ml = "default/deployment/ml";
    private const string Test1 = "default/deployment/test-1";
    private const string Test2 = "default/deployment/test-2";
    private static readonly LocatorAssertionsToHaveAttributeOptions Traffic = new() { Timeout = 60_000 };

    private static ILocator Graph(IPage page) => page.Locator("#service-graph");

    private static async Task<int> DrawsAsync(IPage page) => int.Parse(await Graph(page).GetAttributeAsync("data-draws").Within() ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<Dictionary<string, JsonElement>> PositionsAsync(IPage page) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await page.EvaluateAsync<string>("() => JSON.stringify(window.dashboardGraph.positions())").Within())!;

    /// <summary>Opens the default namespace's graph and waits until it has drawn the demo's three meshed deployments and the unmeshed clients.</summary>
    private async Task<IPage> OpenAsync(string query = "")
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "graph?namespace=default" + query).ToString()).Within();
        await BrowserSession.WaitUntilLiveAsync(page);
        await Assertions.Expect(Graph(page)).ToHaveAttributeAsync("data-nodes", "4", Traffic);
        return page;
    }

    [Fact]
    public async Task The_graph_draws_the_deployments_and_keeps_them_in_place_across_refreshes_in_light_and_dark()
    {
        var page = await OpenAsync();

        var labels = JsonSerializer.Deserialize<Dictionary<string, string>>(
            await page.EvaluateAsync<string>("() => JSON.stringify(window.dashboardGraph.labels())").Within())!;
        Assert.Equal(new Dictionary<string, string> { [Ml] = "ml", [Test1] = "test-1", [Test2] = "test-2", ["unmeshed"] = "unmeshed clients" }, labels);
        // Read together: a refresh may land between two reads.
        var counted = await page.EvaluateAsync<double[]>(
            "() => [Number(document.getElementById('service-graph').getAttribute('data-draws')), window.dashboardGraph.applyMs.length]").Within();
        Assert.True(counted[0] >= 1);
        Assert.Equal(counted[0], counted[1]);
        await Assertions.Expect(page.Locator(".graph-empty")).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(page, "graph");

        // A refresh updates numbers in place: no node moves.
        var before = await PositionsAsync(page);
        var draws = await DrawsAsync(page);
        await Assertions.Expect(Graph(page)).Not.ToHaveAttributeAsync("data-draws", draws.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        var after = await PositionsAsync(page);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, p => Assert.Equal(p.Value.ToString(), after[p.Key].ToString()));

        await BrowserSession.DarkAsync(page);
        // The theme is applied on the next frame; a frame later the screenshot shows it.
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))").Within();
        await BrowserSession.ScreenshotAsync(page, "graph-dark");
        await page.CloseAsync().Within();
    }

    [Fact]
    public async Task The_hide_box_hides_what_it_matches_and_explains_an_expression_it_cannot_read()
    {
        var page = await OpenAsync();

        await page.Locator("#graph-hide").FillAsync("name = ml").Within();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"hide=name(%20|\+)%3D(%20|\+)ml"));
        await Assertions.Expect(Graph(page)).ToHaveAttributeAsync("data-nodes", "3");
        var hidden = await page.EvaluateAsync<string[]>("() => window.dashboardGraph.hidden()").Within();
        Assert.Contains(Ml, hidden);
        Assert.Contains($"{Test1}->{Ml}", hidden);
        Assert.DoesNotContain(Test1, hidden);

        await page.Locator("#graph-hide").FillAsync("name =").Within();
        await Assertions.Expect(page.Locator(".hide-error")).ToContainTextAsync("'name =' in 'name ='");
        // An expression that does not parse hides nothing.
        await Assertions.Expect(Graph(page)).ToHaveAttributeAsync("data-nodes", "4");
        await page.CloseAsync().Within();
    }

    [Fact]
    public async Task A_click_on_a_node_shows_its_numbers_and_links_beside_the_graph()
    {
        var page = await OpenAsync();

        var box = (await Graph(page).BoundingBoxAsync().Within())!;
        var at = await page.EvaluateAsync<JsonElement>($"() => window.dashboardGraph.rendered('{Test2}')").Within();
        await page.Mouse.ClickAsync(box.X + at.GetProperty("x").GetSingle(), box.Y + at.GetProperty("y").GetSingle()).Within();

        var panel = page.Locator("aside.graph-panel");
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-selected", Test2);
        await Assertions.Expect(panel.Locator(".graph-panel-title")).ToHaveTextAsync("test-2");
        await Assertions.Expect(panel.Locator(".rps")).ToHaveTextAsync(new Regex(@"rps$"));
        await Assertions.Expect(panel.Locator(".meshed")).ToHaveTextAsync("yes");
        await Assertions.Expect(panel.Locator("a.resource-link")).ToHaveAttributeAsync("href", "namespaces/default/deployments/test-2");
        await Assertions.Expect(panel.Locator("a.tap-link")).ToHaveAttributeAsync("href", new Regex(@"/tap\?namespace=default&resource=deploy%2Ftest-2.*autostart=true"));
        await Assertions.Expect(panel.Locator("a.top-link")).ToHaveAttributeAsync("href", new Regex(@"/top\?namespace=default&resource=deploy%2Ftest-2"));
        await Assertions.Expect(panel.Locator(".timeline-chart[data-metric='rps'] svg.apexcharts-svg")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await BrowserSession.ScreenshotAsync(page, "graph-panel");

        await panel.Locator("a.resource-link").ClickAsync().Within();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("namespaces/default/deployments/test-2$"));
        // The workload's page has its octopus: the unmeshed clients call it, it calls test-1.
        var octopus = page.Locator("section.octopus-panel");
        await Assertions.Expect(octopus.Locator(".callers .octopus-arm[data-id='unmeshed']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(octopus.Locator($".destinations .octopus-arm[data-id='{Test1}'] a")).ToHaveAttributeAsync("href", "namespaces/default/deployments/test-1");
        await octopus.ScrollIntoViewIfNeededAsync().Within();
        await BrowserSession.ScreenshotAsync(page, "octopus");
        await page.CloseAsync().Within();
    }
}
