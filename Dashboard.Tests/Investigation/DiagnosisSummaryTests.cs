using Dashboard.Investigation;
using Dashboard.Model;
using static Dashboard.Tests.Investigation.Traffic;

namespace Dashboard.Tests.Investigation;

/// <summary>The one sentence of a diagnosis, whole, for each kind of finding.</summary>
public sealed class DiagnosisSummaryTests
{
    private const string Gateway = "deployment/gateway";
    private const string Batch = "deployment/batch";
    private static readonly StatWindow FifteenMinutes = StatWindow.Parse("15m");
    private static readonly ResourceKey Pricing = new(WorkloadKind.Deployment, "shop", "pricing");
    private static readonly ResourceKey Audit = new(WorkloadKind.Deployment, "shop", "audit");

    private static readonly Cause Unmeshed = new(CauseKind.Caller, Cause.UnmeshedClients, "");
    private static readonly Cause Self = new(CauseKind.Self, Gateway, "");

    private static SummaryFacts Facts(
        IReadOnlyList<(Episode, EpisodeCauses)>? episodes = null, IReadOnlyList<PodOutlier>? outliers = null,
        IReadOnlyList<DownstreamShare>? breakdown = null, double? p95 = 100, double? p99Median = 9.2, double requests = 5400) =>
        new(Gateway, FifteenMinutes, episodes ?? [], outliers ?? [], breakdown ?? [],
            new Dictionary<ResourceKey, string> { [Pricing] = "deployment/pricing", [Audit] = "deployment/audit" }, p95, p99Median, requests);

    private static (Episode, EpisodeCauses) Found(
        int start, SpikeMetric metric, double baseline, double peak, IReadOnlyList<Cause> causes, IReadOnlyList<GroupChange>? callers = null,
        double? recurrence = null) =>
        (new Episode(At(start), At(start + 1), metric, baseline, peak, recurrence, causes), new EpisodeCauses(causes, callers ?? []));

    [Fact]
    public void Without_requests_the_sentence_says_so()
    {
        Assert.Equal("No requests to deployment/gateway in the last 15m.", DiagnosisSummary.Write(Facts(requests: 0)));
    }

    [Fact]
    public void Without_an_episode_the_sentence_says_where_the_p99_stayed()
    {
        Assert.Equal("No latency or failure episode in the last 15m; P99 stayed near 9ms.", DiagnosisSummary.Write(Facts()));
        Assert.Equal("No latency or failure episode in the last 15m.", DiagnosisSummary.Write(Facts(p99Median: null)));
    }

    [Fact]
    public void Recurring_spikes_of_the_unmeshed_clients_alone_say_how_often_and_which_caller_stayed_at_its_baseline()
    {
        GroupChange[] callers = [new(Batch, 8.2, 8, Rose: false), new(Cause.UnmeshedClients, 262, 9, Rose: true)];
        var episodes = Enumerable.Range(0, 5)
            .Select(i => Found(6 * i, SpikeMetric.P99, 9, 240 + (5 * i), [Unmeshed], callers, recurrence: 30))
            .ToList();
        episodes[2] = Found(12, SpikeMetric.P99, 9, 262, [Unmeshed], callers, recurrence: 30);

        Assert.Equal(
            "deployment/gateway's P99 rose from 9ms to 262ms in 5 episodes, every 30s; only unmeshed clients were slow (deployment/batch stayed at its 8ms baseline).",
            DiagnosisSummary.Write(Facts(episodes)));
    }

    [Fact]
    public void Spikes_of_the_only_caller_say_the_slow_requests_came_from_it()
    {
        GroupChange[] callers = [new(Cause.UnmeshedClients, 262, 9, Rose: true)];
        var episodes = Enumerable.Range(0, 3).Select(i => Found(12 * i, SpikeMetric.P95, 9, 262, [Unmeshed], callers, recurrence: 180)).ToList();

        Assert.Equal(
            "deployment/gateway's P95 rose from 9ms to 262ms in 3 episodes, every 180s; the slow requests came from unmeshed clients, its only caller.",
            DiagnosisSummary.Write(Facts(episodes)));
    }

    [Fact]
    public void A_slow_pod_is_named_as_the_cause_and_as_the_outlier()
    {
        var episode = Found(10, SpikeMetric.P99, 10, 170, [new Cause(CauseKind.Pod, "gateway-7d9f-c", "")]);
        PodOutlier[] outliers = [new("gateway-7d9f-c", OutlierMetric.P95, 90, 12), new("gateway-7d9f-c", OutlierMetric.P99, 170, 20)];

        Assert.Equal(
            "deployment/gateway's P99 rose from 10ms to 170ms in 1 episode; only pod gateway-7d9f-c was slow, not its siblings; " +
            "gateway-7d9f-c is the slow pod: P99 170ms vs 20ms for its siblings.",
            DiagnosisSummary.Write(Facts([episode], outliers)));
    }

    [Fact]
    public void A_failing_pod_is_named_with_its_success_rate_against_its_siblings()
    {
        PodOutlier[] outliers = [new("gateway-7d9f-c", OutlierMetric.SuccessRate, 0.8, 1)];

        Assert.Equal(
            "No latency or failure episode in the last 15m; P99 stayed near 9ms; gateway-7d9f-c is the failing pod: 80.00% success vs 100.00% for its siblings.",
            DiagnosisSummary.Write(Facts(outliers: outliers)));
    }

    [Fact]
    public void A_downstream_with_most_of_the_p95_gets_a_clause_with_its_share()
    {
        DownstreamShare[] breakdown = [new(Pricing, 85, 0.85), new(Audit, 5, 0.05)];

        Assert.Equal(
            "No latency or failure episode in the last 15m; P99 stayed near 9ms; most of deployment/gateway's P95 (100ms) is deployment/pricing's (85ms, 85%).",
            DiagnosisSummary.Write(Facts(breakdown: breakdown)));
    }

    [Fact]
    public void A_downstream_under_half_of_the_p95_gets_no_clause()
    {
        Assert.Equal(
            "No latency or failure episode in the last 15m; P99 stayed near 9ms.",
            DiagnosisSummary.Write(Facts(breakdown: [new DownstreamShare(Pricing, 45, 0.45)])));
    }

    [Fact]
    public void An_inherited_spike_names_the_downstream_whose_latency_rose()
    {
        var episode = Found(10, SpikeMetric.P99, 10, 262, [new Cause(CauseKind.Downstream, "deployment/pricing", "")]);

        Assert.Equal(
            "deployment/gateway's P99 rose from 10ms to 262ms in 1 episode; inherited from deployment/pricing, whose P99 rose at the same time; " +
            "most of deployment/gateway's P95 (100ms) is deployment/pricing's (85ms, 85%).",
            DiagnosisSummary.Write(Facts([episode], breakdown: [new DownstreamShare(Pricing, 85, 0.85)])));
    }

    [Fact]
    public void Failure_rate_episodes_after_latency_ones_are_its_own_and_say_who_was_failing()
    {
        var latency = Found(10, SpikeMetric.P99, 10, 262, [Self]);
        var failures = Found(20, SpikeMetric.FailureRate, 0.01, 0.4, [Unmeshed],
            [new(Batch, 0, 0, Rose: false), new(Cause.UnmeshedClients, 0.4, 0.01, Rose: true)]);

        Assert.Equal(
            "deployment/gateway's P99 rose from 10ms to 262ms in 1 episode; no caller, pod or downstream accounts for it; " +
            "its failure rate rose from 1% to 40% in 1 episode; only unmeshed clients were failing (deployment/batch stayed at its 0% baseline).",
            DiagnosisSummary.Write(Facts([latency, failures])));
    }

    [Fact]
    public void Episodes_with_different_causes_are_counted_by_cause()
    {
        var batch = new Cause(CauseKind.Caller, Batch, "");

        Assert.Equal(
            "deployment/gateway's P99 rose from 10ms to 262ms in 3 episodes; the causes differ: unmeshed clients (2 episodes), deployment/batch (1 episode).",
            DiagnosisSummary.Write(Facts([Found(0, SpikeMetric.P99, 10, 200, [batch]), Found(10, SpikeMetric.P99, 10, 262, [Unmeshed]),
                Found(20, SpikeMetric.P99, 10, 230, [Unmeshed])])));
    }

    [Fact]
    public void P95_episodes_beside_more_p99_ones_are_counted_apart()
    {
        Assert.Equal(
            "deployment/gateway's P99 rose from 10ms to 262ms in 2 episodes (and 1 of P95 alone); no caller, pod or downstream accounts for it.",
            DiagnosisSummary.Write(Facts([Found(0, SpikeMetric.P99, 10, 200, [Self]), Found(10, SpikeMetric.P95, 8, 90, [Self]),
                Found(20, SpikeMetric.P99, 10, 262, [Self])])));
    }

    [Fact]
    public void One_meshed_caller_alone_was_slow()
    {
        var episode = Found(10, SpikeMetric.P99, 10, 262, [new Cause(CauseKind.Caller, Batch, "")],
            [new(Batch, 262, 10, Rose: true), new("deployment/web", 11, 10, Rose: false)]);

        Assert.Equal(
            "deployment/gateway's P99 rose from 10ms to 262ms in 1 episode; only deployment/batch was slow (deployment/web stayed at its 10ms baseline).",
            DiagnosisSummary.Write(Facts([episode])));
    }

    [Fact]
    public void A_caller_that_rose_with_a_downstream_is_named_as_a_caller_not_as_a_downstream()
    {
        var episode = Found(10, SpikeMetric.P99, 10, 262, [new Cause(CauseKind.Downstream, "deployment/pricing", ""), Unmeshed],
            [new(Batch, 10, 10, Rose: false), new(Cause.UnmeshedClients, 100, 10, Rose: true)]);

        Assert.Equal(
            "deployment/gateway's P99 rose from 10ms to 262ms in 1 episode; inherited from deployment/pricing, whose P99 rose at the same time; " +
            "only unmeshed clients were slow (deployment/batch stayed at its 10ms baseline).",
            DiagnosisSummary.Write(Facts([episode])));
    }
}
