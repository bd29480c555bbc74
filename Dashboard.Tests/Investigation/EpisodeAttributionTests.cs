using Dashboard.Investigation;
using static Dashboard.Tests.Investigation.Traffic;

namespace Dashboard.Tests.Investigation;

/// <summary>What an episode is put down to: a caller, a pod, a downstream, or the resource itself.</summary>
public sealed class EpisodeAttributionTests
{
    private const string Gateway = "deployment/gateway";
    private const string Batch = "deployment/batch";

    private static readonly List<DateTimeOffset> Steps = Traffic.Times(30);

    // Points 10, 11 and 12: the episode's.
    private static readonly Episode Spike = new(At(9), At(12), SpikeMetric.P99, 9.9, 496, null, []);

    private static readonly List<DateTimeOffset> Outside = [.. Steps.Where(t => !Spike.Contains(t))];

    private static StepTraffic Flat(double requests = 100) => Traffic.Of(Steps, _ => FlatMs, requests);

    private static StepTraffic Rising(double requests = 100) => Traffic.Of(Steps, t => Spike.Contains(t) ? SpikeMs : FlatMs, requests);

    private static Dictionary<string, StepTraffic> Groups(params (string Name, StepTraffic Traffic)[] groups) =>
        groups.ToDictionary(g => g.Name, g => g.Traffic, StringComparer.Ordinal);

    private static EpisodeCauses Attribute(AttributionGroups groups, Episode? episode = null) =>
        EpisodeAttribution.Attribute(episode ?? Spike, Gateway, Steps, Outside, groups, InvestigationThresholds.Default);

    [Fact]
    public void When_only_the_unmeshed_clients_rise_they_are_the_only_cause_and_the_flat_caller_is_named_with_its_numbers()
    {
        var groups = new AttributionGroups(
            Groups((Cause.UnmeshedClients, Rising()), (Batch, Flat())),
            Groups(("gateway-a", Rising()), ("gateway-b", Rising())),
            Groups());

        var result = Attribute(groups);

        Assert.Equal(
            [new Cause(CauseKind.Caller, Cause.UnmeshedClients, "unmeshed clients: P99 496ms during the episode vs 10ms baseline; deployment/batch stayed at 10ms")],
            result.Causes);
        Assert.Equal([(Batch, false), (Cause.UnmeshedClients, true)], result.Callers.Select(c => (c.Name, c.Rose)));
    }

    [Fact]
    public void When_one_pod_of_three_rises_and_every_caller_with_it_the_cause_is_the_pod_and_no_caller()
    {
        var groups = new AttributionGroups(
            Groups((Cause.UnmeshedClients, Rising()), (Batch, Rising())),
            Groups(("gateway-a", Flat()), ("gateway-b", Flat()), ("gateway-c", Rising())),
            Groups());

        var result = Attribute(groups);

        Assert.Equal([new Cause(CauseKind.Pod, "gateway-c", "gateway-c: P99 496ms during the episode vs 10ms baseline; its siblings stayed near 10ms")], result.Causes);
    }

    [Fact]
    public void When_one_pod_of_two_rises_half_is_still_a_minority_and_the_pod_is_the_cause()
    {
        var groups = new AttributionGroups(Groups(), Groups(("gateway-a", Flat()), ("gateway-b", Rising())), Groups());

        Assert.Equal([(CauseKind.Pod, "gateway-b")], Attribute(groups).Causes.Select(c => (c.Kind, c.Name)));
    }

    [Fact]
    public void When_two_pods_of_three_rise_no_pod_is_the_cause()
    {
        var groups = new AttributionGroups(
            Groups(),
            Groups(("gateway-a", Flat()), ("gateway-b", Rising()), ("gateway-c", Rising())),
            Groups());

        var cause = Assert.Single(Attribute(groups).Causes);

        Assert.Equal(CauseKind.Self, cause.Kind);
    }

    [Fact]
    public void A_downstream_that_rises_at_the_same_time_is_the_cause_the_latency_is_inherited_from()
    {
        var groups = new AttributionGroups(
            Groups((Cause.UnmeshedClients, Rising()), (Batch, Rising())),
            Groups(("gateway-a", Rising()), ("gateway-b", Rising()), ("gateway-c", Rising())),
            Groups(("deployment/pricing", Rising()), ("deployment/audit", Flat())));

        var result = Attribute(groups);

        Assert.Equal(
            [new Cause(CauseKind.Downstream, "deployment/pricing", "deployment/pricing: P99 496ms during the episode vs 10ms baseline, as deployment/gateway measured its calls")],
            result.Causes);
    }

    [Fact]
    public void When_every_caller_rises_together_the_time_is_the_resources_own_and_the_evidence_says_so()
    {
        var groups = new AttributionGroups(
            Groups((Cause.UnmeshedClients, Rising()), (Batch, Rising())),
            Groups(("gateway-a", Rising()), ("gateway-b", Rising()), ("gateway-c", Rising())),
            Groups(("deployment/pricing", Flat())));

        var result = Attribute(groups);

        Assert.Equal(
            [new Cause(CauseKind.Self, Gateway, "P99 496ms at its peak vs 10ms baseline; every caller rose together (deployment/batch 496ms, unmeshed clients 496ms)")],
            result.Causes);
    }

    [Fact]
    public void With_nothing_to_compare_the_cause_is_the_resource_itself()
    {
        var result = Attribute(new AttributionGroups(Groups(), Groups(), Groups()));

        Assert.Equal([new Cause(CauseKind.Self, Gateway, "P99 496ms at its peak vs 10ms baseline; no caller, pod or downstream rose alone")], result.Causes);
        Assert.Empty(result.Callers);
    }

    [Fact]
    public void A_sole_caller_that_rises_sent_the_slow_requests_and_is_named()
    {
        var result = Attribute(new AttributionGroups(Groups((Cause.UnmeshedClients, Rising())), Groups(), Groups()));

        var cause = Assert.Single(result.Causes);
        Assert.Equal((CauseKind.Caller, Cause.UnmeshedClients), (cause.Kind, cause.Name));
        Assert.EndsWith("; the only caller", cause.Evidence, StringComparison.Ordinal);
        Assert.True(Assert.Single(result.Callers).Rose);
    }

    [Fact]
    public void A_caller_with_fewer_requests_than_the_minimum_is_not_judged()
    {
        // Three points of three requests: 9 in the episode, under the 10 a group needs.
        var groups = new AttributionGroups(Groups((Cause.UnmeshedClients, Rising(requests: 3)), (Batch, Flat())), Groups(), Groups());

        var result = Attribute(groups);

        Assert.Equal([Batch], result.Callers.Select(c => c.Name));
        Assert.Equal(CauseKind.Self, Assert.Single(result.Causes).Kind);
    }

    [Fact]
    public void Several_causes_are_ordered_by_how_much_they_rose()
    {
        var groups = new AttributionGroups(
            Groups((Cause.UnmeshedClients, Traffic.Of(Steps, t => Spike.Contains(t) ? 100 : FlatMs)), (Batch, Flat())),
            Groups(),
            Groups(("deployment/pricing", Rising())));

        var result = Attribute(groups);

        Assert.Equal([(CauseKind.Downstream, "deployment/pricing"), (CauseKind.Caller, Cause.UnmeshedClients)], result.Causes.Select(c => (c.Kind, c.Name)));
    }

    [Fact]
    public void A_failure_rate_episode_blames_the_failing_caller_and_never_a_downstreams_latency()
    {
        var failing = Traffic.Of(Steps, _ => FlatMs, failureRate: t => Spike.Contains(t) ? 0.5 : 0);
        var groups = new AttributionGroups(Groups((Cause.UnmeshedClients, failing), (Batch, Flat())), Groups(), Groups(("deployment/pricing", Rising())));
        var episode = Spike with { Metric = SpikeMetric.FailureRate, Baseline = 0, Peak = 0.5 };

        var result = Attribute(groups, episode);

        Assert.Equal(
            [new Cause(CauseKind.Caller, Cause.UnmeshedClients, "unmeshed clients: failure rate 50% during the episode vs 0% baseline; deployment/batch stayed at 0%")],
            result.Causes);
    }
}
