using Dashboard.Investigation;

namespace Dashboard.Tests.Investigation;

/// <summary>Runs of deviating points become episodes, their recurrence, and which episodes a diagnosis reports.</summary>
public sealed class EpisodeDetectionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 21, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);
    private static readonly DeviationThresholds Latency = InvestigationThresholds.Default.Latency;
    private const double MinRequests = 10;

    private static DateTimeOffset At(int step) => T0 + (step * Step);

    /// <summary><paramref name="count"/> points of 10 ms with 100 requests each, but 200 ms at <paramref name="spikes"/>.</summary>
    private static List<MetricPoint> Latencies(int count, params int[] spikes) =>
        [.. Enumerable.Range(0, count).Select(i => new MetricPoint(At(i), spikes.Contains(i) ? 200 : 10, 100))];

    private static IReadOnlyList<Episode> Find(IReadOnlyList<MetricPoint> points) =>
        EpisodeDetection.Find(points, SpikeMetric.P99, Step, Latency, MinRequests);

    private static Episode EpisodeOf(SpikeMetric metric, int start, int end) => new(At(start), At(end), metric, 10, 200, null, []);

    private static (DateTimeOffset, DateTimeOffset, SpikeMetric, double, double, double?) Fields(Episode e) =>
        (e.Start, e.End, e.Metric, e.Baseline, e.Peak, e.RecurrenceSeconds);

    [Fact]
    public void A_spike_of_three_steps_is_one_episode_from_the_start_of_its_first_step_to_the_end_of_its_last()
    {
        var points = Latencies(30, 10, 11, 12);
        points[11] = points[11] with { Value = 250 };

        var episode = Assert.Single(Find(points));

        // Each point's rate covers the step before it: the first deviating point at step 10 starts at step 9.
        Assert.Equal((At(9), At(12), SpikeMetric.P99, 10.0, 250.0, (double?)null), Fields(episode));
        Assert.Empty(episode.Causes);
    }

    [Fact]
    public void A_quantile_is_judged_only_where_its_tail_holds_a_whole_request()
    {
        // 60 requests a point: a P99 of them is the slowest one's latency, a P95 the third slowest's.
        var points = Latencies(30, 10).Select(p => p with { Requests = 60 }).ToList();

        Assert.Empty(EpisodeDetection.Find(points, SpikeMetric.P99, Step, Latency, MinRequests));
        Assert.Single(EpisodeDetection.Find(points, SpikeMetric.P95, Step, Latency, MinRequests));
        Assert.Equal((100.0, 20.0, 10.0), (EpisodeDetection.RequestsToJudge(SpikeMetric.P99, MinRequests),
            EpisodeDetection.RequestsToJudge(SpikeMetric.P95, MinRequests), EpisodeDetection.RequestsToJudge(SpikeMetric.FailureRate, MinRequests)));
    }

    [Fact]
    public void A_failure_rate_deviates_only_with_three_failed_requests()
    {
        // 25 requests a point, none failing; then two failures (8 %, past every rate threshold) and, later, three (12 %).
        var points = Enumerable.Range(0, 30).Select(i => new MetricPoint(At(i), i == 10 ? 0.08 : i == 20 ? 0.12 : 0, 25)).ToList();

        var episode = Assert.Single(EpisodeDetection.Find(points, SpikeMetric.FailureRate, Step, InvestigationThresholds.Default.FailureRate, MinRequests));

        Assert.Equal((At(19), At(20)), (episode.Start, episode.End));
    }

    [Fact]
    public void A_flat_series_has_no_episode()
    {
        Assert.Empty(Find(Latencies(30)));
    }

    [Fact]
    public void Two_spikes_separated_by_a_gap_of_one_step_are_one_episode()
    {
        var episode = Assert.Single(Find(Latencies(30, 10, 12)));

        Assert.Equal((At(9), At(12)), (episode.Start, episode.End));
    }

    [Fact]
    public void Two_spikes_separated_by_a_gap_of_two_steps_are_two_episodes()
    {
        var episodes = Find(Latencies(30, 10, 13));

        Assert.Equal([(At(9), At(10)), (At(12), At(13))], episodes.Select(e => (e.Start, e.End)));
    }

    [Fact]
    public void An_unmeasured_point_inside_a_spike_is_a_gap_like_any_other()
    {
        var points = Latencies(30, 10, 11, 12);
        points[11] = points[11] with { Value = null, Requests = 0 };

        var episode = Assert.Single(Find(points));

        Assert.Equal((At(9), At(12)), (episode.Start, episode.End));
    }

    [Fact]
    public void Points_with_fewer_requests_than_the_minimum_are_not_judged()
    {
        var points = Latencies(30, 10, 20);
        points[10] = points[10] with { Requests = MinRequests - 1 };

        var episode = Assert.Single(Find(points));

        Assert.Equal(At(20), episode.End);
    }

    [Fact]
    public void Without_a_point_with_enough_requests_there_is_no_episode()
    {
        var points = Latencies(10, 5).Select(p => p with { Requests = 1 }).ToList();

        Assert.Empty(Find(points));
    }

    [Fact]
    public void Spikes_every_30s_at_a_5s_step_recur_every_30s()
    {
        var episodes = Find(Latencies(60, 6, 12, 18, 24, 30, 36, 42, 48, 54));

        Assert.Equal(9, episodes.Count);
        Assert.All(episodes, e => Assert.Equal(30, e.RecurrenceSeconds));
    }

    [Fact]
    public void Irregularly_spaced_spikes_do_not_recur()
    {
        var episodes = Find(Latencies(60, 6, 12, 30));

        Assert.Equal(3, episodes.Count);
        Assert.All(episodes, e => Assert.Null(e.RecurrenceSeconds));
    }

    [Fact]
    public void A_single_episode_does_not_recur()
    {
        Assert.Null(Assert.Single(Find(Latencies(60, 6))).RecurrenceSeconds);
    }

    [Fact]
    public void Two_episodes_recur_at_the_one_gap_between_them()
    {
        var episodes = Find(Latencies(60, 6, 40));

        Assert.All(episodes, e => Assert.Equal(170, e.RecurrenceSeconds));
    }

    [Fact]
    public void Gaps_within_a_fifth_of_their_median_still_recur_at_the_median()
    {
        Assert.Equal(30, EpisodeDetection.Recurrence([T0, T0.AddSeconds(30), T0.AddSeconds(60), T0.AddSeconds(95)], Step));
        Assert.Null(EpisodeDetection.Recurrence([T0, T0.AddSeconds(30), T0.AddSeconds(60), T0.AddSeconds(97)], Step));
    }

    [Fact]
    public void A_failure_rate_spike_is_a_failure_rate_episode_and_a_rise_under_five_points_is_none()
    {
        var points = Enumerable.Range(0, 30)
            .Select(i => new MetricPoint(At(i), i switch { 10 => 0.5, 20 => 0.05, _ => 0.01 }, 100))
            .ToList();

        var episode = Assert.Single(EpisodeDetection.Find(points, SpikeMetric.FailureRate, Step, InvestigationThresholds.Default.FailureRate, MinRequests));

        Assert.Equal((At(9), At(10), SpikeMetric.FailureRate, 0.01, 0.5, (double?)null), Fields(episode));
    }

    [Fact]
    public void A_p95_episode_inside_a_p99_one_is_not_reported_but_one_alone_and_every_failure_rate_episode_are_by_start()
    {
        var p99 = EpisodeOf(SpikeMetric.P99, 10, 20);
        var p95Inside = EpisodeOf(SpikeMetric.P95, 12, 14);
        var p95Alone = EpisodeOf(SpikeMetric.P95, 30, 32);
        var failures = EpisodeOf(SpikeMetric.FailureRate, 5, 8);
        var failuresDuring = EpisodeOf(SpikeMetric.FailureRate, 10, 12);

        var reported = EpisodeDetection.Report([p99], [p95Alone, p95Inside], [failuresDuring, failures]);

        Assert.Equal([failures, p99, failuresDuring, p95Alone], reported);
    }

    [Fact]
    public void A_p95_episode_that_starts_where_a_p99_one_ends_does_not_overlap_it()
    {
        var p99 = EpisodeOf(SpikeMetric.P99, 10, 20);
        var p95 = EpisodeOf(SpikeMetric.P95, 20, 22);

        Assert.Equal([p99, p95], EpisodeDetection.Report([p99], [p95], []));
    }

    [Fact]
    public void An_episode_contains_the_points_after_its_start_up_to_its_end()
    {
        var episode = EpisodeOf(SpikeMetric.P99, 9, 12);

        Assert.Equal([10, 11, 12], Enumerable.Range(0, 30).Where(i => episode.Contains(At(i))));
    }
}
