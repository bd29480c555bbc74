using Dashboard.Metrics;
using Dashboard.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using static Dashboard.Tests.Metrics.FakePrometheus;

namespace Dashboard.Tests.Metrics;

/// <summary><see cref="MetricsService"/> over a fake Prometheus: two queries (counts, latency buckets), merged into rows.</summary>
public sealed class MetricsServiceTests
{
    private const string Counts =
        """sum(increase(response_total{direction="inbound", namespace="default"}[1m])) by (namespace, deployment, classification, tls)""";

    private const string Buckets =
        """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="default"}[1m])) by (le, namespace, deployment)""";

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Two_concurrent_queries_are_merged_into_one_row_per_deployment_with_traffic()
    {
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var prometheus = await StartAsync(async (context, query) =>
        {
            // Each answer waits for both requests: queries sent one after another would never get here.
            if (Interlocked.Increment(ref arrived) == 2)
            {
                allArrived.SetResult();
            }

            await allArrived.Task.WaitAsync(TestTimeouts.Default, context.RequestAborted);
            await WriteAsync(context, Answer(query));
        });
        using var http = new HttpClient();
        var (service, client) = Create(http, prometheus.Url);

        var rows = await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Equal([Counts, Buckets], prometheus.Queries.Order(StringComparer.Ordinal));
        Assert.Equal(2, client.QueriesSent);
        Assert.Equal(2, service.QueriesRequested);
        Assert.Equal(["api", "web"], rows.Keys.Select(k => k.Name).Order(StringComparer.Ordinal));

        var web = rows[new ResourceKey(WorkloadKind.Deployment, "default", "web")];
        Assert.Equal(90, web.Successes);
        Assert.Equal(10, web.Failures);
        Assert.Equal(80, web.TlsRequests);
        Assert.Equal(0.9, web.SuccessRate!.Value, 12);
        Assert.Equal(100 / 60.0, web.Rps!.Value, 12);
        Assert.Equal(0.8, web.TlsShare!.Value, 12);
        // Interpolated within the bucket holding the rank; the 99th lies in +Inf: the largest finite bound, as Prometheus says.
        Assert.Equal((12.5, 45.0, 50.0), (web.P50Ms, web.P95Ms, web.P99Ms));

        var api = rows[new ResourceKey(WorkloadKind.Deployment, "default", "api")];
        Assert.Equal((30.0, 0.0, 0.0), (api.Successes, api.Failures, api.TlsRequests));
        Assert.Equal((null, null, null), (api.P50Ms, api.P95Ms, api.P99Ms)); // the histogram saw nothing: NaN, shown as "-"
    }

    [Fact]
    public async Task A_second_viewer_within_the_refresh_interval_sends_nothing()
    {
        await using var prometheus = await StartAsync((context, query) => WriteAsync(context, Answer(query)));
        using var http = new HttpClient();
        var (service, client) = Create(http, prometheus.Url);

        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();
        var again = await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();
        Assert.Equal(2, client.QueriesSent);
        Assert.Equal(4, service.QueriesRequested);
        Assert.Equal(2, again.Count);

        _time.Advance(QueryCache.DefaultLifetime);
        await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();
        Assert.Equal(4, client.QueriesSent);
    }

    [Fact]
    public async Task No_traffic_is_no_row()
    {
        await using var prometheus = await StartAsync((context, query) => WriteAsync(context, query.StartsWith("sum(increase", StringComparison.Ordinal)
            ? Vector((Labels("namespace", "default", "deployment", "idle", "classification", "success", "tls", "true"), "0"))
            : Vector((Labels("namespace", "default", "deployment", "idle", "le", "+Inf"), "0"))));
        using var http = new HttpClient();
        var (service, _) = Create(http, prometheus.Url);

        var rows = await service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Empty(rows);
    }

    [Fact]
    public async Task Every_namespace_when_none_is_given()
    {
        await using var prometheus = await StartAsync((context, query) => WriteAsync(context, query.StartsWith("sum(increase", StringComparison.Ordinal)
            ? Vector(
                (Labels("namespace", "default", "classification", "success", "tls", "true"), "4"),
                (Labels("namespace", "shop", "classification", "failure", "tls", "disabled"), "2"))
            : Vector(
                (Labels("namespace", "shop", "le", "5"), "0"),
                (Labels("namespace", "shop", "le", "10"), "2"),
                (Labels("namespace", "shop", "le", "+Inf"), "2"))));
        using var http = new HttpClient();
        var (service, _) = Create(http, prometheus.Url);

        var rows = await service.GetStatsAsync(WorkloadKind.Namespace, null, StatWindow.Parse("15s"), TestTimeouts.Token).Within();

        Assert.Contains("""sum(increase(response_total{direction="inbound"}[15s])) by (namespace, classification, tls)""", prometheus.Queries);
        Assert.Equal(4.0 / 15, rows[ResourceKey.ForNamespace("default")].Rps!.Value, 12);
        Assert.Equal(0, rows[ResourceKey.ForNamespace("shop")].SuccessRate);
        Assert.Equal(7.5, rows[ResourceKey.ForNamespace("shop")].P50Ms);
    }

    [Fact]
    public async Task Edges_from_a_deployment_are_keyed_by_destination()
    {
        await using var prometheus = await StartAsync((context, query) => WriteAsync(context, query.StartsWith("sum(increase", StringComparison.Ordinal)
            ? Vector((Labels("dst_namespace", "default", "dst_deployment", "ml", "classification", "success", "tls", "true"), "6"))
            : Vector(
                (Labels("dst_namespace", "default", "dst_deployment", "ml", "le", "2"), "0"),
                (Labels("dst_namespace", "default", "dst_deployment", "ml", "le", "3"), "1"),
                (Labels("dst_namespace", "default", "dst_deployment", "ml", "le", "+Inf"), "1"))));
        using var http = new HttpClient();
        var (service, _) = Create(http, prometheus.Url);

        var rows = await service.GetEdgesAsync(
            new ResourceKey(WorkloadKind.Deployment, "default", "test-1"), EdgeDirection.Outbound, StatWindow.Default, TestTimeouts.Token).Within();

        Assert.Equal(2, prometheus.Queries.Count);
        Assert.Contains(
            """sum(increase(response_total{direction="outbound", namespace="default", deployment="test-1"}[1m])) by (dst_namespace, dst_deployment, classification, tls)""",
            prometheus.Queries);
        var ml = Assert.Single(rows);
        Assert.Equal(new ResourceKey(WorkloadKind.Deployment, "default", "ml"), ml.Key);
        Assert.Equal((1.0, 2.99), (ml.Value.TlsShare, ml.Value.P99Ms));
    }

    [Fact]
    public async Task A_refused_query_fails_the_table()
    {
        await using var prometheus = await StartAsync((context, query) => query.Contains("_bucket", StringComparison.Ordinal)
            ? WriteAsync(context, Error("bad_data", "parse error"), StatusCodes.Status400BadRequest)
            : WriteAsync(context, Vector()));
        using var http = new HttpClient();
        var (service, _) = Create(http, prometheus.Url);

        var thrown = await Assert.ThrowsAsync<PrometheusQueryException>(() =>
            service.GetStatsAsync(WorkloadKind.Deployment, "default", StatWindow.Default, TestTimeouts.Token)).Within();

        Assert.Equal(Buckets, thrown.Query);
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
        Buckets => Vector(
            Bucket("web", "10", "40"), Bucket("web", "20", "80"), Bucket("web", "50", "98"), Bucket("web", "+Inf", "100"),
            Bucket("api", "10", "0"), Bucket("api", "+Inf", "0")),
        _ => Error("bad_data", "unexpected query " + query),
    };

    private static (Dictionary<string, string>, string) Bucket(string deployment, string le, string value) =>
        (Labels("namespace", "default", "deployment", deployment, "le", le), value);
}
