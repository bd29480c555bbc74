using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Dashboard.Tests.Browser;

/// <summary>Stat tables as CSV and JSON files, from the running dashboard over the real fleet, and the page's download link.</summary>
[Collection(DashboardFixture.Collection)]
public sealed class ExportTests(DashboardFixture fixture)
{
    [Fact]
    public async Task The_deployments_table_downloads_as_csv_and_json_with_null_for_no_data()
    {
        using var http = new HttpClient { BaseAddress = fixture.Dashboard.Url, Timeout = TestTimeouts.Default };
        await TestTimeouts.Eventually(async () =>
            (await http.GetStringAsync("export/table.csv?kind=deployments&namespace=default&window=1m", TestTimeouts.Token)).Contains(",ml,Deployment,2,2,0.", StringComparison.Ordinal),
            "numbers for ml in the CSV", TimeSpan.FromSeconds(45));

        using var csv = await http.GetAsync("export/table.csv?kind=deployments&namespace=default&window=1m", TestTimeouts.Token).Within();
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("deployments-default-1m.csv", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await csv.Content.ReadAsStringAsync(TestTimeouts.Token)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("namespace,name,kind,meshed_pods,running_pods,success_rate,rps,p50_ms,p95_ms,p99_ms,tls_share,successes,failures,window_seconds", lines[0]);
        Assert.Equal(["legacy", "ml", "test-1", "test-2"], lines[1..].Select(l => l.Split(',')[1]).Order(StringComparer.Ordinal));
        Assert.Equal("default,legacy,Deployment,0,1,,,,,,,,,60", lines.Single(l => l.Contains(",legacy,", StringComparison.Ordinal)));
        var ml = lines.Single(l => l.Contains(",ml,", StringComparison.Ordinal)).Split(',');
        // The rate is the row's own successes over its requests (the fleet's traffic is random: no fixed value to expect).
        var (rate, successes, failures) = (Number(ml[5]), Number(ml[11]), Number(ml[12]));
        Assert.InRange(rate, 0, 1);
        Assert.True(successes > 0, $"ml's row counts successes: {string.Join(',', ml)}");
        Assert.Equal(successes / (successes + failures), rate, 3);

        var json = JsonDocument.Parse(await http.GetStringAsync("export/table.json?kind=deployments&namespace=default", TestTimeouts.Token).Within()).RootElement;
        var legacy = json.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "legacy");
        Assert.Equal(JsonValueKind.Null, legacy.GetProperty("success_rate").ValueKind);
        Assert.True(json.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "ml").GetProperty("rps").GetDouble() > 0);

        // The callers come from test-1's outbound metrics, a scrape target of their own: ml's inbound numbers above
        // can be in Prometheus before them.
        JsonElement callers = default;
        await TestTimeouts.Eventually(async () =>
        {
            callers = JsonDocument.Parse(await http.GetStringAsync("export/table.json?kind=deployments&namespace=default&name=ml&relation=callers", TestTimeouts.Token)).RootElement;
            return callers.GetArrayLength() > 0;
        }, "a caller of ml in the JSON", TimeSpan.FromSeconds(45));
        Assert.Equal("test-1", Assert.Single(callers.EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_bad_export_request_is_refused_with_the_reason()
    {
        using var http = new HttpClient { BaseAddress = fixture.Dashboard.Url, Timeout = TestTimeouts.Default };

        using var kind = await http.GetAsync("export/table.csv?kind=widgets", TestTimeouts.Token).Within();
        using var relation = await http.GetAsync("export/table.csv?kind=deployments&relation=callers", TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.BadRequest, kind.StatusCode);
        Assert.Contains("kind 'widgets' is not one of namespaces, deployments", await kind.Content.ReadAsStringAsync(TestTimeouts.Token), StringComparison.Ordinal);
        Assert.Contains("relation 'callers' needs the namespace and name", await relation.Content.ReadAsStringAsync(TestTimeouts.Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_table_page_links_its_download()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "namespaces/default/deployments?window=5m").ToString()).Within();

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("section.stat-panel a.export-csv").ClickAsync()).Within();

        Assert.Equal("deployments-default-5m.csv", download.SuggestedFilename);
        await page.CloseAsync().Within();
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
