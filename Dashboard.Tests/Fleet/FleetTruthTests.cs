using System.Net.Http.Json;
using System.Text.Json;

namespace Dashboard.Tests.Fleet;

/// <summary>What the proxies report through Prometheus, held against what the fleet knows happened.</summary>
public sealed class FleetTruthTests(FleetTruthTests.Fixture fixture) : IClassFixture<FleetTruthTests.Fixture>
{
    /// <summary>A fleet of its own: this test stops the traffic.</summary>
    public sealed class Fixture : FleetFixture
    {
        protected override byte IpOctet => 22;
    }

    [Fact]
    public async Task Proxy_counts_in_prometheus_agree_with_the_ground_truth()
    {
        var prometheus = fixture.Prometheus;
        const string Window = "10s";
        using var http = new HttpClient { BaseAddress = fixture.Api, Timeout = TestTimeouts.Default };

        // Outbound metrics of test-1 name their destination.
        await TestTimeouts.Eventually(async () => await prometheus.ValueAsync(
            """sum(response_total{direction="outbound", deployment="test-1", dst_deployment="ml", dst_namespace="default", dst_service="ml"})""") > 0,
            "test-1's outbound requests to ml", TestTimeouts.Slow);

        // While traffic flows: a window of increase() against the truth of the same window. The two windows are
        // aligned only to within a scrape interval at each end, and increase() extrapolates to the window's edges:
        // up to 2 scrape intervals of requests apart (ml serves ~12 rps here), plus 10 % for extrapolation.
        // increase() counts from a series' first sample: wait until ml's series are older than the window.
        await TestTimeouts.Eventually(async () => await prometheus.ValueAsync(
            """min(count_over_time(response_total{direction="inbound", deployment="ml"}[1m]))""") >= 15,
            "ml's series to span more than the window", TestTimeouts.Slow);
        var promWindow = await prometheus.ValueAsync($$"""sum(increase(response_total{direction="inbound", deployment="ml"}[{{Window}}]))""");
        var truthWindow = Deployment(await http.GetFromJsonAsync<JsonElement>($"/fleet/truth?window={Window}", TestTimeouts.Token).Within(), "ml");
        var requests = truthWindow.GetProperty("requests").GetDouble();
        var rps = requests / 10;
        Assert.InRange(promWindow!.Value, requests - (2 * rps) - (0.1 * requests), requests + (2 * rps) + (0.1 * requests));

        // After traffic stops and Prometheus has scraped the final counters: exact agreement, by classification.
        await fixture.Fleet.StopTrafficAsync().Within(TestTimeouts.Slow);
        var truth = Deployment(await http.GetFromJsonAsync<JsonElement>("/fleet/truth?window=1h", TestTimeouts.Token).Within(), "ml");
        var successes = truth.GetProperty("successes").GetDouble();
        var failures = truth.GetProperty("requests").GetDouble() - successes;
        Assert.True(failures > 0, "the 5 % error rate produced failures");
        await TestTimeouts.Eventually(async () =>
            await prometheus.ValueAsync("""sum(response_total{direction="inbound", deployment="ml", classification="success"})""") == successes &&
            await prometheus.ValueAsync("""sum(response_total{direction="inbound", deployment="ml", classification="failure"})""") == failures,
            $"prometheus to report {successes} successes and {failures} failures for ml", TestTimeouts.Slow);
    }

    private static JsonElement Deployment(JsonElement report, string name) =>
        report.GetProperty("deployments").EnumerateArray().Single(d => d.GetProperty("deployment").GetString() == name);
}
