using Dashboard.Metrics;
using Dashboard.Model;
using Microsoft.AspNetCore.Http;
using static Dashboard.Tests.Metrics.FakePrometheus;

namespace Dashboard.Tests.Metrics;

/// <summary><see cref="MetricsService"/> over a fake Prometheus: four queries, merged into rows.</summary>
public sealed class MetricsServiceTests
{
    private const string Counts =
        """sum(increase(response_total{direction="inbound", namespace="default"}[1m])) by (namespace, deployment, classification, tls)""";

    private static readonly string[] Quantiles = [.. new[] { "0.5", "0.95", "0.99" }.Select(q =>
        $$"""histogram_quantile({{q}}, sum(rate(response_latency_ms_bucket{direction="inbound", namespace="default"}[1m])) by (le, namespace, deployment))""")];

    private readonly ManualTime _time = new();

    [Fact]
    public async Task Four_concurrent_queries_are_merged_into_one_row_per_deployment_with_traffic()
    {
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var prometheus = await StartAsync(async (context, query) =>
        {
            // Each answer waits for all four requests: queries sent one after another would never get here.
            if (Interlocked.Increment(ref arrived) == 4)
            {
                allArrived.SetResult();
            }

            await allArrived.Task.WaitAsync(TestTimeouts.Default, context.RequestAborted);
            await WriteAsync(context, Answer(query));
        });
        using var http = new HttpClient();
        var (service, client) = Create(http, prometheus.Url);

        var rows = await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Equal(new[] { Counts }.Concat(Quantiles).Order(StringComparer.Ordinal), prometheus.Queries.Order(StringComparer.Ordinal));
        Assert.Equal(4, client.QueriesSent);
        Assert.Equal(4, service.QueriesRequested);
        Assert.Equal(["api", "web"], rows.Keys.Select(k => k.Name).Order(StringComparer.Ordinal));

        var web = rows[new ResourceKey(WorkloadKind.Deployment, "default", "web")];
        Assert.Equal(90, web.Successes);
        Assert.Equal(10, web.Failures);
        Assert.Equal(80, web.TlsRequests);
        Assert.Equal(0.9, web.SuccessRate!.Value, 12);
        Assert.Equal(100 / 60.0, web.Rps!.Value, 12);
        Assert.Equal(0.8, web.TlsShare!.Value, 12);
        Assert.Equal((12.5, 40.0), (web.P50Ms, web.P95Ms));
        Assert.Null(web.P99Ms); // +Inf: beyond the largest bucket, no number to show

        var api = rows[new ResourceKey(WorkloadKind.Deployment, "default", "api")];
        Assert.Equal((30.0, 0.0, 0.0), (api.Successes, api.Failures, api.TlsRequests));
        Assert.Equal((null, 3.0, 4.0), (api.P50Ms, api.P95Ms, api.P99Ms));
    }

    [Fact]
    public async Task A_second_viewer_within_the_refresh_interval_sends_nothing()
    {
        await using var prometheus = await StartAsync((context, query) => WriteAsync(context, Answer(query)));
        using var http = new HttpClient();
        var (service, client) = Create(http, prometheus.Url);

        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();
        var again = await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();
        Assert.Equal(4, client.QueriesSent);
        Assert.Equal(8, service.QueriesRequested);
        Assert.Equal(2, again.Count);

        _time.Advance(QueryCache.DefaultLifetime);
        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();
        Assert.Equal(8, client.QueriesSent);
    }

    [Fact]
    public async Task No_traffic_is_no_row()
    {
        await using var prometheus = await StartAsync((context, query) => WriteAsync(context, query.StartsWith("sum", StringComparison.Ordinal)
            ? Vector((Labels("namespace", "default", "deployment", "idle", "classification", "success", "tls", "true"), "0"))
            : Vector((Labels("namespace", "default", "deployment", "idle"), "NaN"))));
        using var http = new HttpClient();
        var (service, _) = Create(http, prometheus.Url);

        var rows = await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Empty(rows);
    }

    [Fact]
    public async Task Every_namespace_when_none_is_given()
    {
        await using var prometheus = await StartAsync((context, query) => WriteAsync(context, query.StartsWith("sum", StringComparison.Ordinal)
            ? Vector(
                (Labels("namespace", "default", "classification", "success", "tls", "true"), "4"),
                (Labels("namespace", "shop", "classification", "failure", "tls", "disabled"), "2"))
            : Vector((Labels("namespace", "shop"), "7"))));
        using var http = new HttpClient();
        var (service, _) = Create(http, prometheus.Url);

        var rows = await service.GetStatsAsync(WorkloadKind.Namespace, null, StatWindow.Parse("15s"), TestTimeouts.Token).Within();

        Assert.Contains("""sum(increase(response_total{direction="inbound"}[15s])) by (namespace, classification, tls)""", prometheus.Queries);
        Assert.Equal(4.0 / 15, rows[ResourceKey.ForNamespace("default")].Rps!.Value, 12);
        Assert.Equal(0, rows[ResourceKey.ForNamespace("shop")].SuccessRate);
        Assert.Equal(7, rows[ResourceKey.ForNamespace("shop")].P50Ms);
    }

    [Fact]
    public async Task Edges_from_a_deployment_are_keyed_by_destination()
    {
        await using var prometheus = await StartAsync((context, query) => WriteAsync(context, query.StartsWith("sum", StringComparison.Ordinal)
            ? Vector((Labels("dst_namespace", "default", "dst_deployment", "ml", "classification", "success", "tls", "true"), "6"))
            : Vector((Labels("dst_namespace", "default", "dst_deployment", "ml"), "2.5"))));
        using var http = new HttpClient();
        var (service, _) = Create(http, prometheus.Url);

        var rows = await service.GetEdgesAsync(
            new ResourceKey(WorkloadKind.Deployment, "default", "test-1"), EdgeDirection.Outbound, StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Equal(4, prometheus.Queries.Count);
        Assert.Contains(
            """sum(increase(response_total{direction="outbound", namespace="default", deployment="test-1"}[1m])) by (dst_namespace, dst_deployment, classification, tls)""",
            prometheus.Queries);
        var ml = Assert.Single(rows);
        Assert.Equal(new ResourceKey(WorkloadKind.Deployment, "default", "ml"), ml.Key);
        Assert.Equal((1.0, 2.5), (ml.Value.TlsShare, ml.Value.P99Ms));
    }

    [Fact]
    public async Task A_refused_query_fails_the_table()
    {
        await using var prometheus = await StartAsync((context, query) => query.Contains("0.95", StringComparison.Ordinal)
            ? WriteAsync(context, Error("bad_data", "parse error"), StatusCodes.Status400BadRequest)
            : WriteAsync(context, Vector()));
        using var http = new HttpClient();
        var (service, _) = Create(http, prometheus.Url);

        var thrown = await Assert.ThrowsAsync<PrometheusQueryException>(() =>
            service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token)).Within();

        Assert.Equal(Quantiles[1], thrown.Query);
    }

    private (MetricsService Service, PrometheusClient Client) Create(HttpClient http, Uri url)
    {
        var client = new PrometheusClient(http, url);
        return (new MetricsService(client, new QueryCache(_time)), client);
    }

    private static string Answer(string query) => query switch
    {
        Counts => Vector(
            (Labels("namespace", "default", "deployment", "web", "classification", "success", "tls", "true"), "80"),
            (Labels("namespace", "default", "deployment", "web", "classification", "success", "tls", "no_identity"), "10"),
            (Labels("namespace", "default", "deployment", "web", "classification", "failure", "tls", "true"), "0"),
            (Labels("namespace", "default", "deployment", "web", "classification", "failure", "tls", "disabled"), "10"),
            (Labels("namespace", "default", "deployment", "api", "classification", "success", "tls", "disabled"), "30"),
            (Labels("namespace", "default", "deployment", "idle", "classification", "success", "tls", "true"), "0"),
            // A pod of no deployment has no deployment label: it is no row of this table.
            (Labels("namespace", "default", "classification", "success", "tls", "true"), "5")),
        _ when query == Quantiles[0] => Vector(
            (Labels("namespace", "default", "deployment", "web"), "12.5"),
            (Labels("namespace", "default", "deployment", "api"), "NaN"),
            (Labels("namespace", "default", "deployment", "idle"), "NaN")),
        _ when query == Quantiles[1] => Vector(
            (Labels("namespace", "default", "deployment", "web"), "40"),
            (Labels("namespace", "default", "deployment", "api"), "3")),
        _ when query == Quantiles[2] => Vector(
            (Labels("namespace", "default", "deployment", "web"), "+Inf"),
            (Labels("namespace", "default", "deployment", "api"), "4")),
        _ => Error("bad_data", "unexpected query " + query),
    };
}
