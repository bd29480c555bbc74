using System.Text.Json;
using Dashboard.Metrics;
using Dashboard.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using static Dashboard.Tests.Metrics.FakePrometheus;

namespace Dashboard.Tests.Metrics;

/// <summary>
/// Tables over 1m read the dashboard's recording rule when Prometheus evaluates it with success, and the raw series
/// otherwise: the rule list is asked once per interval and shared, and whatever goes wrong with it falls back.
/// </summary>
public sealed class RecordingRulesTests
{
    private const string RawBuckets =
        """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="default"}[1m])) by (le, namespace, deployment)""";

    private const string RecordedBuckets =
        """sum(deployment:response_latency_ms_bucket:inbound_rate1m{namespace="default"}) by (le, namespace, deployment)""";

    private static readonly string Deployments = PromQl.RecordedLatencyBucketsRule(WorkloadKind.Deployment);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_healthy_rule_is_read_for_the_1m_window_and_the_rule_list_is_asked_once_per_interval()
    {
        await using var prometheus = await StartAsync(Answer(Rules(("dashboard", Deployments, "ok"))));
        using var http = new HttpClient();
        var service = Create(http, prometheus.Url);

        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();
        _time.Advance(QueryCache.DefaultLifetime);
        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Equal(2, prometheus.Queries.Count(q => q == RecordedBuckets));
        Assert.DoesNotContain(RawBuckets, prometheus.Queries);
        Assert.Single(prometheus.Requests, r => r.StartsWith("/api/v1/rules", StringComparison.Ordinal));

        _time.Advance(RecordingRules.RecheckInterval);
        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();
        Assert.Equal(2, prometheus.Requests.Count(r => r.StartsWith("/api/v1/rules", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Other_windows_and_windows_in_the_past_read_the_raw_series()
    {
        await using var prometheus = await StartAsync(Answer(Rules(("dashboard", Deployments, "ok"))));
        using var http = new HttpClient();
        var service = Create(http, prometheus.Url);

        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Parse("5m"), TestTimeouts.Token).Within();
        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, DateTimeOffset.UnixEpoch.AddDays(20_000), TestTimeouts.Token).Within();

        Assert.Contains(RawBuckets.Replace("[1m]", "[5m]", StringComparison.Ordinal), prometheus.Queries);
        Assert.Contains(RawBuckets, prometheus.Queries);
        Assert.DoesNotContain(RecordedBuckets, prometheus.Queries);
    }

    [Theory]
    [InlineData("err")]
    [InlineData("unknown")]
    public async Task A_rule_that_fails_or_has_not_run_yet_is_not_read(string health)
    {
        await using var prometheus = await StartAsync(Answer(Rules(("dashboard", Deployments, health))));
        using var http = new HttpClient();

        await Create(http, prometheus.Url).GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Contains(RawBuckets, prometheus.Queries);
        Assert.DoesNotContain(RecordedBuckets, prometheus.Queries);
    }

    [Fact]
    public async Task Without_the_rule_or_a_rules_api_the_raw_series_are_read_and_the_list_is_asked_again_soon()
    {
        var rulesApi = false;
        await using var prometheus = await StartAsync((context, query) => context.Request.Path == "/api/v1/rules"
            ? rulesApi
                ? WriteAsync(context, Rules(("other", "job:up:sum", "ok")))
                : WriteAsync(context, "404 page not found", StatusCodes.Status404NotFound)
            : WriteAsync(context, Vector()));
        using var http = new HttpClient();
        var service = Create(http, prometheus.Url);

        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();
        Assert.Single(prometheus.Queries, RawBuckets);

        _time.Advance(RecordingRules.RetryInterval);
        rulesApi = true;
        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();
        Assert.Equal(2, prometheus.Queries.Count(q => q == RawBuckets));
        Assert.Equal(2, prometheus.Requests.Count(r => r.StartsWith("/api/v1/rules", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Concurrent_tables_share_one_ask_of_the_rule_list()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var prometheus = await StartAsync(async (context, query) =>
        {
            if (context.Request.Path == "/api/v1/rules")
            {
                await release.Task.WaitAsync(TestTimeouts.Default, context.RequestAborted);
                await WriteAsync(context, Rules([.. PromQl.RecordingRules.Select(r => ("dashboard", r.Record, "ok"))]));
                return;
            }

            await WriteAsync(context, Vector());
        });
        using var http = new HttpClient();
        var service = Create(http, prometheus.Url);

        var tables = new[] { WorkloadKind.Deployment, WorkloadKind.Pod, WorkloadKind.Namespace }
            .Select(kind => service.GetStatsAsync(kind, null, StatWindow.Default, TestTimeouts.Token)).ToList();
        await TestTimeouts.Eventually(() => Task.FromResult(prometheus.Requests.Count >= 1), "the rules request");
        release.SetResult();
        await Task.WhenAll(tables).Within();

        Assert.Single(prometheus.Requests, r => r.StartsWith("/api/v1/rules", StringComparison.Ordinal));
        Assert.Equal(
            [.. new[] { PromQl.RecordedLatencyBuckets(WorkloadKind.Deployment, PromSelector.Empty), PromQl.RecordedPodQuantiles(PromSelector.Empty),
                PromQl.RecordedLatencyBuckets(WorkloadKind.Namespace, PromSelector.Empty) }.Order(StringComparer.Ordinal)],
            prometheus.Queries.Where(q => q.Contains(":inbound_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_pods_table_reads_the_recorded_percentiles_of_each_pod()
    {
        await using var prometheus = await StartAsync((context, query) => context.Request.Path == "/api/v1/rules"
            ? WriteAsync(context, Rules([.. PromQl.RecordingRules.Select(r => ("dashboard", r.Record, "ok"))]))
            : query.StartsWith("sum(increase(", StringComparison.Ordinal)
                ? WriteAsync(context, Vector(
                    (Labels("namespace", "default", "pod", "web-1", "classification", "success", "tls", "true"), "60"),
                    (Labels("namespace", "default", "pod", "web-2", "classification", "success", "tls", "true"), "6")))
                : WriteAsync(context, Vector(
                    (Labels("namespace", "default", "pod", "web-1", "deployment", "web", "quantile", "0.5"), "4.5"),
                    (Labels("namespace", "default", "pod", "web-1", "deployment", "web", "quantile", "0.95"), "18"),
                    (Labels("namespace", "default", "pod", "web-1", "deployment", "web", "quantile", "0.99"), "+Inf"),
                    (Labels("namespace", "default", "pod", "web-2", "deployment", "web", "quantile", "0.5"), "NaN"))));
        using var http = new HttpClient();

        var rows = await Create(http, prometheus.Url).GetStatsAsync(WorkloadKind.Pod, "default", StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Contains("""pod:response_latency_ms:inbound_quantile1m{namespace="default"}""", prometheus.Queries);
        Assert.DoesNotContain(prometheus.Queries, q => q.Contains("_bucket", StringComparison.Ordinal));
        var web1 = rows[new ResourceKey(WorkloadKind.Pod, "default", "web-1")];
        Assert.Equal((4.5, 18.0, (double?)null), (web1.P50Ms, web1.P95Ms, web1.P99Ms)); // +Inf: no number, as for buckets
        var web2 = rows[new ResourceKey(WorkloadKind.Pod, "default", "web-2")];
        Assert.Equal(((double?)null, (double?)null, (double?)null), (web2.P50Ms, web2.P95Ms, web2.P99Ms));
        Assert.Equal(1.0, web1.Rps);
    }

    private MetricsService Create(HttpClient http, Uri url)
    {
        var client = new PrometheusClient(http, url);
        return new MetricsService(client, new QueryCache(_time), new RecordingRules(client, _time));
    }

    private static Func<HttpContext, string, Task> Answer(string rules) => (context, query) =>
        context.Request.Path == "/api/v1/rules" ? WriteAsync(context, rules) : WriteAsync(context, Vector());

    /// <summary>An answer of <c>/api/v1/rules?type=record</c> as Prometheus writes it (abridged: no timings).</summary>
    private static string Rules(params (string Group, string Name, string Health)[] rules) =>
        JsonSerializer.Serialize(new
        {
            status = "success",
            data = new
            {
                groups = rules.GroupBy(r => r.Group).Select(g => new
                {
                    name = g.Key,
                    file = "/etc/prometheus/rules.yml",
                    interval = 10,
                    rules = g.Select(r => new { name = r.Name, query = "vector(1)", health = r.Health, type = "recording" }),
                }),
            },
        });
}
