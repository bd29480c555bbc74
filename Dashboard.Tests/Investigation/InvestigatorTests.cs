using System.Globalization;
using System.Text.Json;
using Dashboard.Investigation;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Tests.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Investigation;

/// <summary>An investigation over a fake Prometheus: what it asks, how often, and the diagnosis it makes of the answers.</summary>
public sealed class InvestigatorTests
{
    private static readonly ResourceKey Gateway = new(WorkloadKind.Deployment, "shop", "gateway");
    private static readonly StatWindow Lookback = StatWindow.Parse("15m");
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);

    // 15m at a 10s scrape interval: a 15s step, each point a rate over 40s (four scrapes).
    private static readonly QueryRange Range = PromQl.ChartRange(Lookback, Now, ScrapeInterval);
    private static readonly StatWindow RateWindow = PromQl.ChartRateWindow(Range.Step, ScrapeInterval);
    private static readonly int Points = (int)((Range.End - Range.Start) / Range.Step) + 1;
    private const double RatePerSecond = 3; // 120 requests per point: enough for a P99 to be judged

    private readonly FakeTimeProvider _time = new(Now);

    /// <summary>Every eighth point (every 2 minutes) the unmeshed clients' requests take up to 500 ms; deployment/batch's never.</summary>
    private static bool Spiking(int point) => point % 8 == 4;

    [Theory]
    [InlineData(3)]
    [InlineData(30)]
    public async Task An_investigation_makes_the_same_number_of_queries_whatever_the_number_of_pods_and_callers(int count)
    {
        await using var prometheus = await FakePrometheus.StartAsync((context, query) => FakePrometheus.WriteAsync(context, Crowd(context, count)));
        using var http = new HttpClient();
        var (investigator, client) = Create(http, prometheus.Url);

        await investigator.InvestigateAsync(Gateway, Lookback, Now, TestTimeouts.Token).Within();

        Assert.Equal(Investigator.QueriesPerInvestigation, client.QueriesSent);
        Assert.Equal(Investigator.QueriesPerInvestigation, prometheus.Queries.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_namespace_investigation_makes_as_many_queries_and_its_calls_within_itself_are_no_downstream()
    {
        var shop = ResourceKey.ForNamespace("shop");
        await using var prometheus = await FakePrometheus.StartAsync((context, query) => FakePrometheus.WriteAsync(context, Crowd(context, 3)));
        using var http = new HttpClient();
        var (investigator, client) = Create(http, prometheus.Url);

        var diagnosis = await investigator.InvestigateAsync(shop, Lookback, Now, TestTimeouts.Token).Within();

        Assert.Equal(Investigator.QueriesPerInvestigation, client.QueriesSent);
        Assert.Contains(PromQl.UnmeshedLatencyBuckets(shop, RateWindow), prometheus.Queries);
        // Its calls within itself are no downstream: no "most of namespace/shop's P95 is namespace/shop's".
        Assert.Equal("No latency or failure episode in the last 15m; P99 stayed near 10ms.", diagnosis.Summary);
        Assert.Empty(diagnosis.Breakdown);
    }

    [Fact]
    public async Task An_investigation_asks_the_charts_pods_callers_unmeshed_and_downstream_queries_over_the_aligned_range()
    {
        await using var prometheus = await FakePrometheus.StartAsync((context, query) => FakePrometheus.WriteAsync(context, Crowd(context, 3)));
        using var http = new HttpClient();
        var (investigator, _) = Create(http, prometheus.Url);

        await investigator.InvestigateAsync(Gateway, Lookback, Now, TestTimeouts.Token).Within();

        string[] ranged =
        [
            PromQl.ChartLatencyBuckets(Gateway, RateWindow), PromQl.ChartResponseRates(Gateway, RateWindow),
            PromQl.PodLatencyBuckets(Gateway, RateWindow), PromQl.PodResponseRates(Gateway, RateWindow),
            PromQl.EdgeLatencyBuckets(Gateway, EdgeDirection.Inbound, RateWindow), PromQl.EdgeCounts(Gateway, EdgeDirection.Inbound, RateWindow),
            PromQl.UnmeshedLatencyBuckets(Gateway, RateWindow), PromQl.UnmeshedResponseRates(Gateway, RateWindow),
            PromQl.EdgeLatencyBuckets(Gateway, EdgeDirection.Outbound, RateWindow),
        ];
        var shop = PromSelector.Empty.With("namespace", "shop");
        Assert.Equal(
            ((string[])[.. ranged, PromQl.Counts(WorkloadKind.Pod, shop, Lookback), PromQl.LatencyBuckets(WorkloadKind.Pod, shop, Lookback)]).Order(StringComparer.Ordinal),
            prometheus.Queries.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_second_identical_investigation_within_the_answers_lifetime_is_answered_from_the_cache()
    {
        await using var prometheus = await FakePrometheus.StartAsync((context, query) => FakePrometheus.WriteAsync(context, Crowd(context, 3)));
        using var http = new HttpClient();
        var (investigator, client) = Create(http, prometheus.Url);

        var first = await investigator.InvestigateAsync(Gateway, Lookback, Now, TestTimeouts.Token).Within();
        var second = await investigator.InvestigateAsync(Gateway, Lookback, Now, TestTimeouts.Token).Within();
        Assert.Equal(Investigator.QueriesPerInvestigation, client.QueriesSent);
        Assert.Equal(first.Summary, second.Summary);

        _time.Advance(QueryCache.DefaultLifetime + TimeSpan.FromSeconds(1));
        await investigator.InvestigateAsync(Gateway, Lookback, Now, TestTimeouts.Token).Within();
        Assert.Equal(2 * Investigator.QueriesPerInvestigation, client.QueriesSent);
    }

    [Fact]
    public async Task A_query_prometheus_refuses_fails_the_whole_investigation()
    {
        var refused = PromQl.UnmeshedLatencyBuckets(Gateway, RateWindow);
        await using var prometheus = await FakePrometheus.StartAsync((context, query) => query == refused
            ? FakePrometheus.WriteAsync(context, FakePrometheus.Error("bad_data", "parse error"), StatusCodes.Status400BadRequest)
            : FakePrometheus.WriteAsync(context, Crowd(context, 3)));
        using var http = new HttpClient();
        var (investigator, _) = Create(http, prometheus.Url);

        var thrown = await Assert.ThrowsAnyAsync<PrometheusException>(() => investigator.InvestigateAsync(Gateway, Lookback, Now, TestTimeouts.Token)).Within();

        Assert.Equal(refused, Assert.IsType<PrometheusQueryException>(thrown).Query);
    }

    [Fact]
    public async Task Recurring_spikes_of_the_unmeshed_clients_are_diagnosed_as_theirs()
    {
        await using var prometheus = await FakePrometheus.StartAsync((context, query) => FakePrometheus.WriteAsync(context, Answer(context, query, UnmeshedSpikes)));
        using var http = new HttpClient();
        var (investigator, _) = Create(http, prometheus.Url);

        var diagnosis = await investigator.InvestigateAsync(Gateway, Lookback, Now, TestTimeouts.Token).Within();

        Assert.Equal(
            "deployment/gateway's P99 rose from 10ms to 492ms in 8 episodes, every 120s; only unmeshed clients were slow (deployment/batch stayed at its 10ms baseline).",
            diagnosis.Summary);
        Assert.Equal((Range.Start, Range.End, Range.Step), (diagnosis.From, diagnosis.To, diagnosis.Step));
        var spikes = Enumerable.Range(0, Points).Where(Spiking).Select(i => Range.Start + (i * Range.Step)).ToList();
        Assert.Equal(spikes.Select(t => (t - Range.Step, t)), diagnosis.Episodes.Select(e => (e.Start, e.End)));
        Assert.All(diagnosis.Episodes, e => Assert.Equal((SpikeMetric.P99, CauseKind.Caller, Cause.UnmeshedClients, 120.0),
            (e.Metric, Assert.Single(e.Causes).Kind, e.Causes[0].Name, e.RecurrenceSeconds)));
        Assert.Empty(diagnosis.Outliers);
        Assert.Empty(diagnosis.Breakdown);
    }

    [Fact]
    public async Task Recurring_spikes_of_one_pod_are_diagnosed_as_the_slow_pods_and_it_is_the_outlier()
    {
        await using var prometheus = await FakePrometheus.StartAsync((context, query) => FakePrometheus.WriteAsync(context, Answer(context, query, SlowPod)));
        using var http = new HttpClient();
        var (investigator, _) = Create(http, prometheus.Url);

        var diagnosis = await investigator.InvestigateAsync(Gateway, Lookback, Now, TestTimeouts.Token).Within();

        Assert.Equal(
            "deployment/gateway's P99 rose from 10ms to 488ms in 8 episodes, every 120s; only pod gateway-c was slow, not its siblings; " +
            "gateway-c is the slow pod: P99 469ms vs 10ms for its siblings.",
            diagnosis.Summary);
        Assert.All(diagnosis.Episodes, e => Assert.Equal((CauseKind.Pod, "gateway-c"), (Assert.Single(e.Causes).Kind, e.Causes[0].Name)));
        Assert.Equal([("gateway-c", OutlierMetric.P95), ("gateway-c", OutlierMetric.P99)], diagnosis.Outliers.Select(o => (o.Pod, o.Metric)));
        Assert.Contains("gateway-c P99", diagnosis.Series.Select(s => s.Label));
    }

    [Fact]
    public async Task A_resource_without_requests_is_said_to_have_none()
    {
        await using var prometheus = await FakePrometheus.StartAsync((context, query) => FakePrometheus.WriteAsync(context,
            context.Request.Path.Value!.EndsWith("query_range", StringComparison.Ordinal) ? Matrix() : FakePrometheus.Vector()));
        using var http = new HttpClient();
        var (investigator, _) = Create(http, prometheus.Url);

        var diagnosis = await investigator.InvestigateAsync(Gateway, Lookback, Now, TestTimeouts.Token).Within();

        Assert.Equal("No requests to deployment/gateway in the last 15m.", diagnosis.Summary);
        Assert.Equal((0, 0, 0), (diagnosis.Episodes.Count, diagnosis.Outliers.Count, diagnosis.Breakdown.Count));
    }

    [Fact]
    public async Task The_tables_badges_cost_two_queries_and_count_each_rows_episodes()
    {
        var p95 = PromQl.Quantile(0.95, WorkloadKind.Deployment, PromSelector.Empty.With("namespace", "shop"), RateWindow);
        var counts = PromQl.Counts(WorkloadKind.Deployment, PromSelector.Empty.With("namespace", "shop"), RateWindow);
        await using var prometheus = await FakePrometheus.StartAsync((context, query) => FakePrometheus.WriteAsync(context, query switch
        {
            _ when query == p95 => Matrix(
                (["namespace", "shop", "deployment", "gateway"], i => Spiking(i) ? 250 : 9),
                (["namespace", "shop", "deployment", "pricing"], _ => 9)),
            _ when query == counts => Matrix(
                (["namespace", "shop", "deployment", "gateway", "classification", "success", "tls", "true"], _ => 50),
                (["namespace", "shop", "deployment", "pricing", "classification", "success", "tls", "true"], _ => 50)),
            _ => FakePrometheus.Error("bad_data", "unexpected query " + query),
        }));
        using var http = new HttpClient();
        var (investigator, client) = Create(http, prometheus.Url);

        var rows = await investigator.EpisodesByRowAsync(WorkloadKind.Deployment, "shop", Lookback, TestTimeouts.Token).Within();

        Assert.Equal(Investigator.QueriesPerTable, client.QueriesSent);
        Assert.Equal(new Dictionary<ResourceKey, int> { [Gateway] = 8 }, rows);
    }

    private (Investigator Investigator, PrometheusClient Client) Create(HttpClient http, Uri url)
    {
        var client = new PrometheusClient(http, url);
        var metrics = new MetricsService(client, new QueryCache(_time));
        return (new Investigator(metrics, inventory: null, ScrapeInterval, InvestigationThresholds.Default, _time), client);
    }

    /// <summary>
    /// Any query answered with <paramref name="count"/> flat series carrying every label an investigation groups by (a pod,
    /// a caller, a destination, a bound, a classification each): the answers grow with the count, the queries must not.
    /// </summary>
    private static string Crowd(HttpContext context, int count)
    {
        if (!context.Request.Path.Value!.EndsWith("query_range", StringComparison.Ordinal))
        {
            return FakePrometheus.Vector();
        }

        return Matrix([.. Enumerable.Range(0, count).SelectMany(n => Bounds.Select(le => ((string[])
            [
                "namespace", "shop", "deployment", $"caller-{n}", "dst_namespace", "shop", "dst_deployment", $"down-{n}",
                "pod", $"gateway-{n}", "le", le, "classification", "success", "tls", "true",
            ], (Func<int, double>)(_ => RatePerSecond))))]);
    }

    private static readonly string[] Bounds = ["10", "50", "100", "500", "1000", "+Inf"];

    /// <summary>
    /// The answers of a scenario: half the requests from unmeshed clients, half from deployment/batch, a third on each pod;
    /// each share is the part of a group's requests that take up to 500 ms at the <see cref="Spiking"/> points (10 ms otherwise).
    /// </summary>
    private sealed record Scenario(double Unmeshed, double Batch, double PodA, double PodB, double PodC, string? PodStats = null)
    {
        public double Self => (Unmeshed + Batch) / 2;

        public (string Pod, double Share)[] Pods => [("gateway-a", PodA), ("gateway-b", PodB), ("gateway-c", PodC)];
    }

    private static readonly Scenario UnmeshedSpikes = new(Unmeshed: 1, Batch: 0, PodA: 0.5, PodB: 0.5, PodC: 0.5);

    // The slow pod's stats over the lookback: 13% of its requests above 100 ms; its siblings' all under 10 ms.
    private static readonly string SlowPodStats = FakePrometheus.Vector(
    [
        .. new[] { "gateway-a", "gateway-b", "gateway-c" }.Select(pod =>
            (FakePrometheus.Labels("namespace", "shop", "pod", pod, "classification", "success", "tls", "true"), "1000")),
        .. new[] { "gateway-a", "gateway-b" }.SelectMany(pod => Bounds.Select(le =>
            (FakePrometheus.Labels("namespace", "shop", "pod", pod, "le", le), "1000"))),
        .. Bounds.Select(le => (FakePrometheus.Labels("namespace", "shop", "pod", "gateway-c", "le", le), le is "10" or "50" or "100" ? "870" : "1000")),
    ]);

    private static readonly Scenario SlowPod = new(Unmeshed: 1.0 / 3, Batch: 1.0 / 3, PodA: 0, PodB: 0, PodC: 1, SlowPodStats);

    private static string Answer(HttpContext context, string query, Scenario scenario)
    {
        var half = RatePerSecond / 2;
        var third = RatePerSecond / 3;
        // A bucket's rate: all of the group's requests are in it from 10 ms, but the slow share only from 500 ms while it spikes.
        static Func<int, double> Buckets(string le, double rate, double share) => i => le is "10" or "50" or "100" && Spiking(i) ? rate * (1 - share) : rate;

        if (query == PromQl.ChartLatencyBuckets(Gateway, RateWindow))
        {
            return Matrix([.. Bounds.Select(le => ((string[])["le", le], Buckets(le, RatePerSecond, scenario.Self)))]);
        }

        if (query == PromQl.ChartResponseRates(Gateway, RateWindow))
        {
            return Matrix((["classification", "success"], _ => RatePerSecond));
        }

        if (query == PromQl.PodLatencyBuckets(Gateway, RateWindow))
        {
            return Matrix([.. scenario.Pods.SelectMany(pod => Bounds.Select(le => ((string[])["pod", pod.Pod, "le", le], Buckets(le, third, pod.Share))))]);
        }

        if (query == PromQl.PodResponseRates(Gateway, RateWindow))
        {
            return Matrix([.. scenario.Pods.Select(pod => ((string[])["pod", pod.Pod, "classification", "success"], (Func<int, double>)(_ => third)))]);
        }

        if (query == PromQl.EdgeLatencyBuckets(Gateway, EdgeDirection.Inbound, RateWindow))
        {
            return Matrix([.. Bounds.Select(le => ((string[])["namespace", "shop", "deployment", "batch", "le", le], Buckets(le, half, scenario.Batch)))]);
        }

        if (query == PromQl.EdgeCounts(Gateway, EdgeDirection.Inbound, RateWindow))
        {
            // Increases over the rate window, not rates.
            return Matrix((["namespace", "shop", "deployment", "batch", "classification", "success", "tls", "true"], _ => half * RateWindow.TotalSeconds));
        }

        if (query == PromQl.UnmeshedLatencyBuckets(Gateway, RateWindow))
        {
            return Matrix([.. Bounds.Select(le => ((string[])["le", le], Buckets(le, half, scenario.Unmeshed)))]);
        }

        if (query == PromQl.UnmeshedResponseRates(Gateway, RateWindow))
        {
            return Matrix((["classification", "success"], _ => half));
        }

        var shop = PromSelector.Empty.With("namespace", "shop");
        if (scenario.PodStats is { } stats && (query == PromQl.Counts(WorkloadKind.Pod, shop, Lookback) || query == PromQl.LatencyBuckets(WorkloadKind.Pod, shop, Lookback)))
        {
            return stats;
        }

        return context.Request.Path.Value!.EndsWith("query_range", StringComparison.Ordinal) ? Matrix() : FakePrometheus.Vector();
    }

    /// <summary>A range answer over <see cref="Range"/>: each series' labels as name, value pairs and its value at each point.</summary>
    private static string Matrix(params (string[] Labels, Func<int, double> Value)[] series) =>
        JsonSerializer.Serialize(new
        {
            status = "success",
            data = new
            {
                resultType = "matrix",
                result = series.Select(s => new
                {
                    metric = FakePrometheus.Labels(s.Labels),
                    values = Enumerable.Range(0, Points).Select(i => new object[]
                    {
                        (Range.Start + (i * Range.Step)).ToUnixTimeSeconds(),
                        s.Value(i).ToString(CultureInfo.InvariantCulture),
                    }),
                }),
            },
        });
}
