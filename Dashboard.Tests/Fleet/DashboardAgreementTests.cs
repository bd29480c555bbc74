using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Contracts.Metrics;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Fleet;

/// <summary>
/// The spine, end to end: fleet proxies → real Prometheus → the dashboard's metrics service, held against the
/// fleet's ground truth for the same window.
/// </summary>
[Collection(LatencyCollection.Name)]
public sealed class DashboardAgreementTests(DashboardAgreementTests.Fixture fixture) : IClassFixture<DashboardAgreementTests.Fixture>
{
    public sealed class Fixture : FleetFixture
    {
        protected override byte IpOctet => 24;

        /// <summary>
        /// More requests than the shared fixture: a P99 over a 30 s window is decided by its few slowest requests,
        /// so it needs hundreds in the window to be stable against the half-second the two windows may differ by.
        /// </summary>
        protected override Dashboard.Proxy.Fleet.Manifest.FleetManifest FleetManifest => Manifest with
        {
            Traffic = [.. Manifest.Traffic.Select(t => t.Name == "legacy" ? t : t with { Rps = 15 })],
        };
    }

    [Fact]
    public async Task Success_rps_and_latency_percentiles_agree_with_the_ground_truth()
    {
        var window = StatWindow.Parse("30s");
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        var metrics = new MetricsService(new PrometheusClient(http, fixture.Prometheus.Url), new QueryCache(TimeProvider.System, TimeSpan.FromMilliseconds(1)));
        await TestTimeouts.Eventually(async () => await fixture.Prometheus.ValueAsync(
            """min(count_over_time(response_total{direction="inbound", namespace="default"}[1m]))""") >= 34,
            "a full 30s window of scrapes", TimeSpan.FromSeconds(90));

        var stats = await metrics.GetStatsAsync(WorkloadKind.Deployment, "default", window, TestTimeouts.Token).Within();
        var truth = await http.GetFromJsonAsync<JsonElement>(new Uri(fixture.Api, "/fleet/truth?window=30s"), TestTimeouts.Token).Within();

        foreach (var name in new[] { "ml", "test-1", "test-2" })
        {
            var dashboard = stats[new ResourceKey(WorkloadKind.Deployment, "default", name)];
            var real = truth.GetProperty("deployments").EnumerateArray().Single(d => d.GetProperty("deployment").GetString() == name);
            Assert.InRange(dashboard.SuccessRate!.Value, real.GetProperty("successRate").GetDouble() - 0.01, real.GetProperty("successRate").GetDouble() + 0.01);
            var rps = real.GetProperty("rps").GetDouble();
            Assert.InRange(dashboard.Rps!.Value, rps * 0.9, rps * 1.1);
            AssertInTrueBucket(name, "p50", dashboard.P50Ms, real.GetProperty("p50Ms").GetDouble());
            AssertInTrueBucket(name, "p95", dashboard.P95Ms, real.GetProperty("p95Ms").GetDouble());
            AssertInTrueBucket(name, "p99", dashboard.P99Ms, real.GetProperty("p99Ms").GetDouble());
        }
    }

    [Fact]
    public async Task The_callers_of_test_2_show_its_unmeshed_clients_at_the_external_traffics_rps()
    {
        var window = StatWindow.Parse("30s");
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        var metrics = new MetricsService(new PrometheusClient(http, fixture.Prometheus.Url), new QueryCache(TimeProvider.System, TimeSpan.FromMilliseconds(1)));
        await TestTimeouts.Eventually(async () => await fixture.Prometheus.ValueAsync(
            """min(count_over_time(response_total{direction="inbound", namespace="default"}[1m]))""") >= 34,
            "a full 30s window of scrapes", TimeSpan.FromSeconds(90));
        using var inventory = new KubernetesInventory(KubernetesSource.FromUrl(fixture.Api), NullLogger<KubernetesInventory>.Instance);
        await inventory.StartAsync(TestTimeouts.Token).Within();
        try
        {
            await inventory.WaitForSyncAsync(TestTimeouts.Token).Within();
            var tables = new StatTableService(inventory, metrics, TimeProvider.System);
            var test2 = new ResourceKey(WorkloadKind.Deployment, "default", "test-2");

            var callers = await tables.LoadAsync(TableScope.Related(test2, TableRelation.Callers), window, TestTimeouts.Token).Within();
            var truth = await http.GetFromJsonAsync<JsonElement>(new Uri(fixture.Api, "/fleet/truth?window=30s"), TestTimeouts.Token).Within();
            var mlCallers = await tables.LoadAsync(TableScope.Related(new ResourceKey(WorkloadKind.Deployment, "default", "ml"), TableRelation.Callers), window, TestTimeouts.Token).Within();

            // test-2's only caller is the external client: one row, from test-2's inbound proxy, without TLS.
            var row = Assert.Single(callers.Rows);
            Assert.True(row.IsUnmeshedClients);
            Assert.Equal(StatTableRow.UnmeshedClientsName, row.Name);
            var external = truth.GetProperty("traffic").EnumerateArray().Single(t => t.GetProperty("traffic").GetString() == "external").GetProperty("rps").GetDouble();
            Assert.InRange(row.Stats!.Rps!.Value, external * 0.85, external * 1.15);
            Assert.Equal(0, row.Stats.TlsShare);
            Assert.NotNull(row.Stats.P99Ms);
            // ml's only caller is meshed (test-1, with an identity): no unmeshed row.
            Assert.Equal(["test-1"], mlCallers.Rows.Select(r => r.Name));
        }
        finally
        {
            await inventory.StopAsync(CancellationToken.None).Within();
        }
    }

    [Fact]
    public async Task Percentiles_computed_from_the_buckets_equal_Prometheus_own_histogram_quantile()
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        var prometheus = new PrometheusClient(http, fixture.Prometheus.Url);
        var selector = PromSelector.Empty.With(LabelNames.Namespace, "default");
        await TestTimeouts.Eventually(async () => await fixture.Prometheus.ValueAsync(
            """min(count_over_time(response_total{direction="inbound", namespace="default"}[1m]))""") >= 10,
            "ten scrapes of every pod", TimeSpan.FromSeconds(60));
        var at = DateTimeOffset.UtcNow.AddSeconds(-1); // one instant for both, so both see the same samples

        foreach (var kind in new[] { WorkloadKind.Deployment, WorkloadKind.Pod })
        {
            var buckets = await prometheus.QueryAsync(PromQl.LatencyBuckets(kind, selector, StatWindow.Default), at, TestTimeouts.Token).Within();
            var histograms = buckets.GroupBy(b => b.Label(kind.PromLabel())).ToDictionary(
                g => g.Key!, g => g.Select(b => (b.Label("le") == "+Inf" ? double.PositiveInfinity : double.Parse(b.Label("le")!, CultureInfo.InvariantCulture), b.Value ?? double.NaN)).ToList());
            Assert.Contains("ml", histograms.Keys.Select(k => k.Split('-')[0]));
            foreach (var quantile in PromQl.Quantiles)
            {
                var expected = await prometheus.QueryAsync(PromQl.Quantile(quantile, kind, selector, StatWindow.Default), at, TestTimeouts.Token).Within();
                Assert.Equal(histograms.Count, expected.Count);
                foreach (var sample in expected)
                {
                    var ours = HistogramQuantile.Compute(quantile, histograms[sample.Label(kind.PromLabel())!]);
                    Assert.True(sample.Value is { } theirs ? Math.Abs(theirs - ours) <= 1e-9 * Math.Max(1, theirs) : double.IsNaN(ours),
                        $"{kind} {sample.Label(kind.PromLabel())} q={quantile}: Prometheus says {sample.Value?.ToString() ?? "NaN"}, we compute {ours}");
                }
            }
        }
    }

    [Fact]
    public async Task The_recording_rules_give_the_tables_the_sums_of_the_raw_series()
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        var prometheus = new PrometheusClient(http, fixture.Prometheus.Url);
        var rules = new RecordingRules(prometheus, TimeProvider.System);
        var selector = PromSelector.Empty.With(LabelNames.Namespace, "default");
        await TestTimeouts.Eventually(async () => await fixture.Prometheus.ValueAsync(
            $$"""min(count_over_time({{PromQl.RecordedLatencyBucketsRule(WorkloadKind.Pod)}}{namespace="default"}[1m]))""") >= 5,
            "five evaluations of the recording rules", TimeSpan.FromSeconds(60));

        foreach (var kind in new[] { WorkloadKind.Namespace, WorkloadKind.Deployment, WorkloadKind.Pod })
        {
            Assert.True(await rules.IsHealthyAsync(PromQl.RecordedLatencyBucketsRule(kind), TestTimeouts.Token).Within());
            // The recorded series at the moment of its last evaluation, and the raw series' sums at that same moment.
            var evaluated = await fixture.Prometheus.ValueAsync($"max(timestamp({PromQl.RecordedLatencyBucketsRule(kind)}))");
            var at = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(evaluated!.Value * 1000));
            var recorded = await prometheus.QueryAsync(PromQl.RecordedLatencyBuckets(kind, selector), at, TestTimeouts.Token).Within();
            var raw = await prometheus.QueryAsync(PromQl.LatencyBuckets(kind, selector, PromQl.RecordedWindow), at, TestTimeouts.Token).Within();

            Assert.Contains(recorded, s => s.Label(kind.PromLabel()) is { } name && name.StartsWith(kind == WorkloadKind.Namespace ? "default" : "ml", StringComparison.Ordinal));
            Assert.Equal(Keyed(raw, kind).Keys.Order(StringComparer.Ordinal), Keyed(recorded, kind).Keys.Order(StringComparer.Ordinal));
            foreach (var (key, value) in Keyed(raw, kind))
            {
                var other = Keyed(recorded, kind)[key];
                Assert.True(value is null ? other is null : other is { } o && Math.Abs(o - value.Value) <= 1e-9 * Math.Max(1, value.Value),
                    $"{kind} {key}: raw {value}, recorded {other}");
            }
        }

        // Each pod's recorded percentiles are Prometheus' histogram_quantile of its recorded buckets: the numbers
        // the tables compute from the buckets.
        var podsEvaluated = await fixture.Prometheus.ValueAsync($"max(timestamp({PromQl.RecordedPodQuantilesRule}))");
        var podsAt = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(podsEvaluated!.Value * 1000));
        var quantiles = await prometheus.QueryAsync(PromQl.RecordedPodQuantiles(selector), podsAt, TestTimeouts.Token).Within();
        var buckets = await prometheus.QueryAsync(PromQl.RecordedLatencyBuckets(WorkloadKind.Pod, selector), podsAt, TestTimeouts.Token).Within();
        Assert.Equal(3 * buckets.Select(b => b.Label("pod")).Distinct().Count(), quantiles.Count);
        foreach (var sample in quantiles)
        {
            var pod = sample.Label("pod");
            var ours = HistogramQuantile.Compute(double.Parse(sample.Label(PromQl.QuantileLabel)!, CultureInfo.InvariantCulture),
                buckets.Where(b => b.Label("pod") == pod).Select(b => (StatRows.Bound(b.Label("le"))!.Value, b.Value ?? double.NaN)));
            Assert.True(sample.Value is { } theirs ? Math.Abs(theirs - ours) <= 1e-9 * Math.Max(1, theirs) : double.IsNaN(ours),
                $"{pod} q={sample.Label(PromQl.QuantileLabel)}: recorded {sample.Value?.ToString() ?? "NaN"}, computed {ours}");
        }

        static Dictionary<string, double?> Keyed(IReadOnlyList<PromSample> samples, WorkloadKind kind) =>
            samples.ToDictionary(s => $"{s.Label(kind.PromLabel())} le={s.Label(PromQl.BucketBound)}", s => s.Value);
    }

    /// <summary>
    /// histogram_quantile can only place a percentile inside a bucket. The proxy measures the app's own time plus
    /// its forwarding: well under 1 ms on an idle machine, a few ms while the parallel suite saturates both cores
    /// (CI saw ml's P99 at 30.4 ms against a true value in (20, 30]). So the true value's bucket, or the next one when
    /// true + 3 ms crosses its upper bound, is the answer to expect. Below, the two sides count different windows (the
    /// truth's and Prometheus' range): a true value within 3 ms above its bucket's lower bound may rank in the bucket
    /// below on the proxy's samples (a fresh clone saw test-1's P99 at 29.8 ms against a true 31.2 ms).
    /// </summary>
    private static void AssertInTrueBucket(string deployment, string quantile, double? measured, double truth)
    {
        var bounds = MetricNames.LatencyBucketsMs;
        var lower = bounds.LastOrDefault(b => b < truth - 3);
        var upper = bounds.FirstOrDefault(b => b >= truth + 3, double.PositiveInfinity);
        Assert.True(measured is { } m && m > lower && m <= upper,
            $"{deployment} {quantile}: the dashboard says {measured} ms, the truth is {truth} ms: expected ({lower}, {upper}]");
    }
}
