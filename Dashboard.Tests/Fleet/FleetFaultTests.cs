using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Tests.Fleet;

/// <summary>Planted causes: the manifest's <c>faults:</c>, the one clock of periodic causes, and what the truth reports of them.</summary>
public sealed class FleetFaultTests
{
    private static List<string> Problems(string faults, int replicas = 3) =>
        Assert.Throws<FleetManifestException>(() => FleetManifestLoader.Parse(Deployment(faults, replicas), "bad.yaml")).Problems.Select(p => p.ToString()).ToList();

    private static string Deployment(string faults, int replicas) =>
        $"namespaces:\n  - name: a\n    deployments:\n      - name: x\n        replicas: {replicas}\n        faults:\n          - {faults}\n";

    [Fact]
    public void A_fault_names_a_replica_and_what_it_does_always_or_periodically()
    {
        var always = Assert.Single(FleetManifestLoader.Parse(Deployment("{pod: 2, extraLatencyMs: 150}", 3), "ok.yaml").Deployments.Single().Deployment.Faults);
        var periodic = Assert.Single(FleetManifestLoader.Parse(Deployment("{pod: 0, extraLatencyMs: 300, everySeconds: 60, durationSeconds: 10, errorRate: 0.2}", 1), "ok.yaml")
            .Deployments.Single().Deployment.Faults);

        Assert.Equal(new FaultSpec(2, 150, 0, null, null), always);
        Assert.False(always.Periodic);
        Assert.Equal(new FaultSpec(0, 300, 0.2, 60, 10), periodic);
    }

    [Fact]
    public void A_bad_fault_is_reported_with_its_place_and_what_was_expected()
    {
        const string At = "namespaces[0].deployments[0].faults[0]";
        Assert.Equal([$"bad.yaml:7:19: {At}.pod: pod 3 is not an ordinal of the deployment's 3 replicas; expected a whole number from 0 to 2"],
            Problems("{pod: 3, extraLatencyMs: 150}"));
        Assert.Equal([$"bad.yaml:7:13: {At}: a fault needs extraLatencyMs or errorRate (or both)"], Problems("{pod: 1}"));
        Assert.Equal([$"bad.yaml:7:13: {At}: everySeconds and durationSeconds go together: give both for a periodic fault, neither for one always on"],
            Problems("{pod: 1, extraLatencyMs: 5, everySeconds: 30}"));
        Assert.Equal([$"bad.yaml:7:76: {At}.durationSeconds: durationSeconds (30) must be below everySeconds (30)"],
            Problems("{pod: 1, extraLatencyMs: 5, everySeconds: 30, durationSeconds: 30}"));
        Assert.Equal([$"bad.yaml:7:52: {At}.errorRate: expected a share from 0 to 1, got '2'"], Problems("{pod: 1, extraLatencyMs: 5, errorRate: 2}"));
        Assert.Single(Problems("{pod: 1, slow: true}"), p => p.EndsWith("unknown key 'slow'; expected one of: pod, extraLatencyMs, errorRate, everySeconds, durationSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public void A_periodic_cause_is_active_for_the_last_seconds_of_each_period_since_the_fleet_started()
    {
        var started = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.False(FleetSchedule.Active(TimeSpan.FromSeconds(23.9), 30, 6));
        Assert.True(FleetSchedule.Active(TimeSpan.FromSeconds(24), 30, 6));
        Assert.True(FleetSchedule.Active(TimeSpan.FromSeconds(59.9), 30, 6));
        Assert.False(FleetSchedule.Active(TimeSpan.FromSeconds(60.1), 30, 6));
        // From 0:40 to 1:30: the episode of 0:54–1:00 whole, and 1:24–1:30, the window's end clipping nothing; 0:24–0:30 is before.
        Assert.Equal(
            [(started.AddSeconds(54), started.AddSeconds(60)), (started.AddSeconds(84), started.AddSeconds(90))],
            FleetSchedule.Episodes(started, 30, 6, started.AddSeconds(40), started.AddSeconds(90)));
        // A window that starts or ends inside an episode clips it.
        Assert.Equal(
            [(started.AddSeconds(26), started.AddSeconds(30)), (started.AddSeconds(54), started.AddSeconds(57))],
            FleetSchedule.Episodes(started, 30, 6, started.AddSeconds(26), started.AddSeconds(57)));
    }
}

/// <summary>The scenario fleet plants its causes for real: Prometheus sees them, and the truth says where and when.</summary>
[Collection(ScenarioFleetFixture.Collection)]
public sealed class ScenarioFleetTests(ScenarioFleetFixture fixture)
{
    [Fact]
    public async Task The_truth_reports_the_planted_faults_and_spikes_and_prometheus_sees_the_slow_replica()
    {
        var truth = await fixture.TruthAsync(TimeSpan.FromMinutes(2));
        var fault = Assert.Single(truth.Faults);
        Assert.Equal(("replicas", "ledger", 2, 150.0, (double?)null), (fault.Namespace, fault.Deployment, fault.Ordinal, fault.ExtraLatencyMs, fault.EverySeconds));
        Assert.StartsWith("ledger-", fault.Pod, StringComparison.Ordinal);
        Assert.Single(fault.Episodes);
        var spike = Assert.Single(truth.Spikes);
        Assert.Equal(("spiking-client", "front.spikes", 250.0, 30.0, 6.0), (spike.Traffic, spike.To, spike.ExtraLatencyMs, spike.EverySeconds, spike.DurationSeconds));

        // The slow replica, as its proxy measured it, against its two siblings.
        var query = """histogram_quantile(0.5, sum(rate(response_latency_ms_bucket{direction="inbound", namespace="replicas", deployment="ledger"}[30s])) by (le, pod))""";
        Dictionary<string, double> medians = [];
        await TestTimeouts.Eventually(async () =>
        {
            medians = (await fixture.Prometheus.QueryAsync(query)).EnumerateArray()
                .Select(s => (Pod: s.GetProperty("metric").GetProperty("pod").GetString()!, Value: double.Parse(s.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
                .Where(s => double.IsFinite(s.Value)).ToDictionary(s => s.Pod, s => s.Value);
            return medians.Count == 3;
        }, "a median latency for each of ledger's three pods", TestTimeouts.Slow);
        var slow = medians[fault.Pod];
        Assert.All(medians.Where(m => m.Key != fault.Pod), m => Assert.InRange(slow - m.Value, 100, 250));

        // The truth of the episodes: the spiking client's requests are 250 ms slower for 6 s of every 30 (an episode still on
        // is clipped at now, so wait for a whole one).
        await TestTimeouts.Eventually(async () => (await fixture.TruthAsync(TimeSpan.FromMinutes(2))).Spikes.Single().Episodes
            .Any(e => Math.Abs((e.End - e.Start).TotalSeconds - 6) < 0.01), "a whole spike episode of 6 s", TimeSpan.FromSeconds(75));
    }
}
