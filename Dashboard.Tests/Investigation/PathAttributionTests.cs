using Dashboard.Investigation;

namespace Dashboard.Tests.Investigation;

/// <summary>Episodes attributed to paths from tapped requests: the route whose requests alone rose, with the numbers and how many were tapped.</summary>
public sealed class PathAttributionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 7, 0, 0, TimeSpan.Zero);
    private static readonly InvestigationThresholds Thresholds = InvestigationThresholds.Default;

    // The episode covers seconds 60 to 75; the lookback 0 to 120.
    private static readonly Episode Spike = new(T0.AddSeconds(60), T0.AddSeconds(75), SpikeMetric.P99, 10, 260, null, []);

    /// <summary>One request of <paramref name="route"/> every second for two minutes, <paramref name="during"/> ms inside the episode, 10 ms outside.</summary>
    private static IEnumerable<PathSample> Route(string route, double during, bool failDuring = false) => Enumerable.Range(0, 120)
        .Select(i => T0.AddSeconds(i + 0.5))
        .Select(t => Spike.Contains(t) ? new PathSample(t, route, during, failDuring) : new PathSample(t, route, 10, false));

    private static IReadOnlyList<Cause> Attribute(Episode episode, params IEnumerable<PathSample>[] routes) =>
        PathAttribution.Attribute(episode, [episode], [.. routes.SelectMany(r => r)], Thresholds);

    [Fact]
    public void The_one_route_whose_requests_rose_is_the_cause_and_the_others_are_said_to_have_stayed()
    {
        var cause = Assert.Single(Attribute(Spike, Route("/v1/quote", 260), Route("/v1/health", 10)));

        Assert.Equal((CauseKind.Path, "/v1/quote"), (cause.Kind, cause.Name));
        Assert.Equal("/v1/quote: P50 260ms during the episode vs 10ms outside, from 15 tapped requests; /v1/health stayed at 10ms", cause.Evidence);
    }

    [Fact]
    public void Twenty_requests_in_the_episode_are_judged_on_their_p95()
    {
        // Two requests a second: 30 in the episode, 2 of them slow, so the P95 rose and the median did not.
        var samples = Enumerable.Range(0, 240).Select(i => T0.AddSeconds((i / 2.0) + 0.25))
            .Select((t, i) => new PathSample(t, "/v1/quote", Spike.Contains(t) && i % 15 == 0 ? 300 : 10, false)).ToList();

        var cause = Assert.Single(PathAttribution.Attribute(Spike, [Spike], [.. samples, .. Route("/v1/health", 10)], Thresholds));

        Assert.StartsWith("/v1/quote: P95 300ms during the episode vs 10ms outside, from 30 tapped requests", cause.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_that_all_rose_together_are_no_cause_nor_is_the_only_route_tapped()
    {
        Assert.Empty(Attribute(Spike, Route("/v1/quote", 260), Route("/v1/health", 260)));
        Assert.Empty(Attribute(Spike, Route("/v1/quote", 260)));
    }

    [Fact]
    public void A_route_with_few_tapped_requests_in_the_episode_is_not_judged()
    {
        var sparse = Route("/v1/quote", 260).Where((s, i) => !Spike.Contains(s.Time) || i % 4 == 0);

        Assert.Empty(Attribute(Spike, sparse, Route("/v1/health", 10)));
    }

    [Fact]
    public void A_failure_episode_is_attributed_to_the_route_whose_requests_failed()
    {
        var failures = Spike with { Metric = SpikeMetric.FailureRate, Baseline = 0, Peak = 0.5 };

        var cause = Assert.Single(Attribute(failures, Route("/v1/orders", 10, failDuring: true), Route("/v1/quote", 10)));

        Assert.Equal("/v1/orders: failure rate 100% during the episode vs 0% outside, from 15 tapped requests; /v1/quote stayed at 0%", cause.Evidence);
    }

    [Fact]
    public void Samples_are_held_oldest_first_and_the_oldest_are_forgotten_past_the_capacity()
    {
        var samples = new PathSamples(capacity: 3);
        Assert.Null(samples.Since);
        foreach (var i in Enumerable.Range(0, 5))
        {
            samples.Add(new PathSample(T0.AddSeconds(i), "/", i, false));
        }

        Assert.Equal([2.0, 3, 4], samples.Snapshot().Select(s => s.LatencyMs));
        Assert.Equal(T0.AddSeconds(2), samples.Since);
    }
}
