using Dashboard.Investigation;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Proxy.Fleet;
using Dashboard.Tests.Fleet;

namespace Dashboard.Tests.Investigation;

/// <summary>
/// Diagnoses against the fleet with planted causes (<c>docker/fleet/</c>'s scenario manifests, one fleet) and a real
/// Prometheus: each names the planted cause and only it, and its episodes start where the truth's do. The lookback
/// starts after the fleet's warm-up and ends now, so it covers only traffic that behaves as planted.
/// </summary>
[Collection(ScenarioFleetFixture.Collection)]
public sealed class ScenarioDiagnosisTests(ScenarioFleetFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TestTimeouts.Default };

    private Investigator Investigator() => new(
        new MetricsService(new PrometheusClient(_http, fixture.Prometheus.Url), new QueryCache(TimeProvider.System)),
        inventory: null, FleetFixture.ScrapeInterval, InvestigationThresholds.Default, TimeProvider.System);

    /// <summary>Waits until the fleet has run <paramref name="planted"/> past its warm-up, then diagnoses everything since.</summary>
    private async Task<Diagnosis> DiagnoseAsync(string @namespace, string deployment, TimeSpan planted)
    {
        var from = fixture.Started + ScenarioFleetFixture.WarmUp;
        await TestTimeouts.Eventually(() => Task.FromResult(DateTimeOffset.UtcNow - from >= planted), $"{planted.TotalSeconds}s of planted traffic",
            planted + TimeSpan.FromMinutes(1));
        var lookback = StatWindow.FromSeconds((int)(DateTimeOffset.UtcNow - from).TotalSeconds);
        return await Investigator().InvestigateAsync(new ResourceKey(WorkloadKind.Deployment, @namespace, deployment), lookback, null, TestTimeouts.Token).Within();
    }

    [Fact]
    public async Task External_spikes_are_recurring_episodes_of_the_unmeshed_clients_only_starting_where_the_truth_says()
    {
        // Three periods of 30 s: at least two whole spikes, with the baseline between them.
        var diagnosis = await DiagnoseAsync("spikes", "front", TimeSpan.FromSeconds(95));

        var latency = diagnosis.Episodes.Where(e => e.Metric != SpikeMetric.FailureRate).ToList();
        Assert.True(latency.Count >= 2, $"two latency episodes or more; found: {Describe(diagnosis)}");
        Assert.All(latency, e => Assert.Equal([(CauseKind.Caller, Cause.UnmeshedClients)], e.Causes.Select(c => (c.Kind, c.Name))));
        Assert.Contains("only unmeshed clients were slow", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Contains("deployment/batch stayed at its", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Empty(diagnosis.Outliers);

        // Every spike the truth saw wholly inside the lookback starts an episode within one step (and the scrape that carries it).
        var truth = await fixture.TruthAsync(DateTimeOffset.UtcNow - diagnosis.From + TimeSpan.FromSeconds(5));
        var spikes = truth.Spikes.Single(s => s.To == "front.spikes").Episodes
            .Where(s => s.Start >= diagnosis.From + diagnosis.Step && s.End <= diagnosis.To - diagnosis.Step).ToList();
        Assert.NotEmpty(spikes);
        var tolerance = diagnosis.Step + FleetFixture.ScrapeInterval;
        Assert.All(spikes, s => Assert.True(latency.Any(e => (e.Start - s.Start).Duration() <= tolerance),
            $"an episode starting within {tolerance.TotalSeconds}s of the spike at {s.Start:HH:mm:ss.f}; found: {Describe(diagnosis)}"));
        Assert.Equal(30, Assert.IsType<double>(latency[0].RecurrenceSeconds), 30 * EpisodeDetection.RecurrenceTolerance);
    }

    [Fact]
    public async Task One_slow_replica_is_the_one_outlier_and_no_caller_is_blamed()
    {
        var diagnosis = await DiagnoseAsync("replicas", "ledger", TimeSpan.FromSeconds(60));

        var truth = await fixture.TruthAsync(TimeSpan.FromSeconds(30));
        var slow = truth.Faults.Single(f => f.Deployment == "ledger").Pod;
        var outlier = Assert.Single(diagnosis.Outliers.DistinctBy(o => o.Pod));
        Assert.Equal(slow, outlier.Pod);
        Assert.NotEqual(OutlierMetric.SuccessRate, outlier.Metric);
        Assert.InRange(outlier.Value - outlier.SiblingsMedian, 100, 250);
        Assert.DoesNotContain(diagnosis.Episodes.SelectMany(e => e.Causes), c => c.Kind == CauseKind.Caller);
        Assert.Contains($"{slow} is the slow pod", diagnosis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_downstream_gets_most_of_the_p95_in_the_breakdown()
    {
        var diagnosis = await DiagnoseAsync("pay", "gateway", TimeSpan.FromSeconds(45));

        var top = diagnosis.Breakdown[0];
        Assert.Equal(new ResourceKey(WorkloadKind.Deployment, "pay", "pricing"), top.Downstream);
        Assert.InRange(Assert.IsType<double>(top.ShareOfP95), DiagnosisSummary.NotableShare, 1);
        Assert.Single(diagnosis.Breakdown);
        Assert.Contains("most of deployment/gateway's P95", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Contains("is deployment/pricing's", diagnosis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_steady_service_has_no_episode_and_no_outlier()
    {
        var diagnosis = await DiagnoseAsync("calm", "steady", TimeSpan.FromSeconds(95));

        Assert.True(diagnosis.Episodes.Count == 0, $"no episode; found: {Describe(diagnosis)}");
        Assert.Empty(diagnosis.Outliers);
        Assert.StartsWith("No latency or failure episode in the last ", diagnosis.Summary, StringComparison.Ordinal);
    }

    private static string Describe(Diagnosis diagnosis) => $"{diagnosis.Summary} [" + string.Join("; ", diagnosis.Episodes.Select(e =>
        $"{e.Metric} {e.Start:HH:mm:ss}-{e.End:HH:mm:ss} {e.Baseline:0.#}->{e.Peak:0.#} causes {string.Join(",", e.Causes.Select(c => $"{c.Kind}:{c.Name}"))}")) + "]";

    public void Dispose() => _http.Dispose();
}
