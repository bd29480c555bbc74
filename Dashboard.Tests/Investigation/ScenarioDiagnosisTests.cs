using Dashboard.Investigation;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Proxy.Fleet;
using Dashboard.Tests.Fleet;

namespace Dashboard.Tests.Investigation;

/// <summary>
/// Diagnoses against the fleet with planted causes (<c>docker/fleet/</c>'s scenario manifests, one fleet) and a real
/// Prometheus: each names the planted cause and only it, and its episodes start where the truth's do. The lookback
/// starts after the fleet's warm-up and ends now, so it covers only traffic that behaves as planted. The fleet shares two
/// cores with the rest of the suite, so its requests may really slow down at times; an episode no cause was planted for
/// is a false alarm only when the ground truth shows no such rise (<see cref="TruthRose"/>).
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

        var truth = await fixture.TruthAsync(DateTimeOffset.UtcNow - diagnosis.From + TimeSpan.FromSeconds(5));
        var planted = truth.Spikes.Single(s => s.To == "front.spikes").Episodes;
        var latency = diagnosis.Episodes.Where(e => e.Metric != SpikeMetric.FailureRate)
            .Where(e => planted.Any(s => s.Start < e.End + diagnosis.Step && e.Start < s.End + diagnosis.Step)).ToList();
        var theirs = latency.Where(e => e.Causes.Select(c => (c.Kind, c.Name)).SequenceEqual([(CauseKind.Caller, Cause.UnmeshedClients)])).ToList();
        Assert.True(theirs.Count >= 2, $"two episodes of the unmeshed clients alone or more; found: {Describe(diagnosis)}");
        // No other caller is ever named (an episode the machine's own stalls joined may be the resource's, all callers slow).
        Assert.DoesNotContain(diagnosis.Episodes.SelectMany(e => e.Causes), c => c.Kind == CauseKind.Caller && c.Name != Cause.UnmeshedClients);
        Assert.All(diagnosis.Episodes.Except(latency), e => Assert.True(TruthRose("front.spikes", e, diagnosis, planted),
            $"a rise in the truth where nothing was planted; found: {Describe(diagnosis)}"));
        Assert.Contains(theirs.Count == latency.Count ? "only unmeshed clients were slow" : "unmeshed clients", diagnosis.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("only deployment/batch", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Empty(diagnosis.Outliers);

        // Every spike the truth saw wholly inside the lookback starts an episode within one step (and the scrape that carries
        // it), or lies in an episode that started earlier because the clients really saw slow requests just before it.
        var spikes = planted.Where(s => s.Start >= diagnosis.From + diagnosis.Step && s.End <= diagnosis.To - diagnosis.Step).ToList();
        Assert.NotEmpty(spikes);
        var tolerance = diagnosis.Step + FleetFixture.ScrapeInterval;
        Assert.All(spikes, s => Assert.True(theirs.Any(e => (e.Start - s.Start).Duration() <= tolerance
                || (e.Start < s.Start && e.End >= s.Start && TruthRose("front.spikes", e with { End = s.Start - diagnosis.Step }, diagnosis, planted))),
            $"an episode starting within {tolerance.TotalSeconds}s of the spike at {s.Start:HH:mm:ss.f}; found: {Describe(diagnosis)}"));
        if (theirs.Count == latency.Count && latency[0].RecurrenceSeconds is { } period)
        {
            Assert.Equal(30, period, 30 * EpisodeDetection.RecurrenceTolerance);
        }
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
    public async Task A_steady_service_has_no_false_alarm_and_no_outlier()
    {
        var diagnosis = await DiagnoseAsync("calm", "steady", TimeSpan.FromSeconds(95));

        Assert.All(diagnosis.Episodes, e => Assert.True(TruthRose("steady.calm", e, diagnosis), $"no false alarm; found: {Describe(diagnosis)}"));
        Assert.Empty(diagnosis.Outliers);
        if (diagnosis.Episodes.Count == 0)
        {
            Assert.StartsWith("No latency or failure episode in the last ", diagnosis.Summary, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Whether the ground truth shows what <paramref name="episode"/> says: among the requests its clients sent to
    /// <paramref name="to"/> (as the clients measured them, exactly, proxies included) within a step of the episode, a
    /// tail of slow ones (two, as in a P95 of a few dozen requests; one for a P99) at least the investigation's factor
    /// above the lookback's own quantile, or three failures for a failure rate.
    /// </summary>
    /// <param name="planted">The planted spikes: the quantile a rise is judged against leaves their requests out, as the
    /// investigation's robust baseline does (else the spikes' own tail would be the bar for every other rise).</param>
    private bool TruthRose(string to, Episode episode, Diagnosis diagnosis, IReadOnlyList<TruthEpisode>? planted = null)
    {
        var sources = ScenarioFleetFixture.Planted.Traffic.Where(t => t.To == to).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var samples = fixture.Fleet.Truth.ClientSamples(diagnosis.From).Where(t => sources.Contains(t.Traffic))
            .SelectMany(t => t.Samples).Where(s => s.At <= diagnosis.To).ToList();
        var near = samples.Where(s => s.At > episode.Start - diagnosis.Step && s.At <= episode.End + diagnosis.Step).ToList();
        if (episode.Metric == SpikeMetric.FailureRate)
        {
            return near.Count(s => s.Status >= 500) >= EpisodeDetection.MinFailures;
        }

        var q = episode.Metric == SpikeMetric.P99 ? 0.99 : 0.95;
        var usual = samples.Where(s => planted is null || !planted.Any(p => s.At > p.Start - diagnosis.Step && s.At <= p.End + diagnosis.Step));
        var slow = InvestigationThresholds.Default.Latency.Factor * RobustStats.Quantile(usual.Select(s => s.LatencyMs), q);
        return near.Count(s => s.LatencyMs >= slow) >= (episode.Metric == SpikeMetric.P99 ? 1 : 2);
    }

    private static string Describe(Diagnosis diagnosis) => $"{diagnosis.Summary} [" + string.Join("; ", diagnosis.Episodes.Select(e =>
        $"{e.Metric} {e.Start:HH:mm:ss}-{e.End:HH:mm:ss} {e.Baseline:0.#}->{e.Peak:0.#} causes {string.Join(",", e.Causes.Select(c => $"{c.Kind}:{c.Name}"))}")) + "]";

    public void Dispose() => _http.Dispose();
}
