namespace Dashboard.Investigation;

/// <summary>
/// Finds the episodes of one metric in its points: each point is judged against the robust baseline of all the
/// lookback's judged points (<see cref="RobustStats.Baseline"/>, which the spikes themselves hardly move), and runs of
/// deviating points become episodes.
/// </summary>
public static class EpisodeDetection
{
    /// <summary>Non-deviating or unmeasured points a run may contain and stay one episode.</summary>
    public const int AllowedGap = 1;

    /// <summary>Failed requests a point needs before its failure rate can deviate: one failure among a few requests is no episode.</summary>
    public const double MinFailures = 3;

    /// <summary>Gaps between episode starts agree with their median within this share of it (or one step).</summary>
    public const double RecurrenceTolerance = 0.2;

    /// <summary>
    /// The episodes of <paramref name="metric"/> in <paramref name="points"/> (one per step, oldest first), without causes.
    /// Points with fewer than <paramref name="minRequests"/> requests are not judged, nor quantiles whose tail holds no
    /// whole request (<see cref="RequestsToJudge"/>); a failure rate deviates only with <see cref="MinFailures"/> failures.
    /// An episode starts one step before its first deviating point (that point's rate covers the step before it) and
    /// ends at its last.
    /// </summary>
    public static IReadOnlyList<Episode> Find(
        IReadOnlyList<MetricPoint> points, SpikeMetric metric, TimeSpan step, DeviationThresholds thresholds, double minRequests)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(thresholds);
        var least = RequestsToJudge(metric, minRequests);
        var judged = points.Select(p => p.Requests >= least ? p.Value : null).ToArray();
        if (RobustStats.Baseline(judged) is not { } baseline)
        {
            return [];
        }

        var runs = new List<(int First, int Last)>();
        for (var i = 0; i < points.Count; i++)
        {
            if (judged[i] is not { } value || !baseline.IsHigh(value, thresholds)
                || (metric == SpikeMetric.FailureRate && value * points[i].Requests < MinFailures))
            {
                continue;
            }

            if (runs.Count > 0 && i - runs[^1].Last <= AllowedGap + 1)
            {
                runs[^1] = (runs[^1].First, i);
            }
            else
            {
                runs.Add((i, i));
            }
        }

        var episodes = runs.Select(r => new Episode(
            points[r.First].Time - step,
            points[r.Last].Time,
            metric,
            baseline.Median,
            judged[r.First..(r.Last + 1)].Max() ?? baseline.Median,
            null,
            [])).ToList();
        var recurrence = Recurrence(episodes.Select(e => e.Start).ToList(), step);
        return recurrence is null ? episodes : [.. episodes.Select(e => e with { RecurrenceSeconds = recurrence })];
    }

    /// <summary>
    /// The requests a point needs for <paramref name="metric"/> to be judged: at least <paramref name="minRequests"/>, and
    /// for a quantile enough that its tail holds a whole request (P99 from 100 requests, P95 from 20). Below that the
    /// quantile is the latency of the slowest request or two, which one slow request moves: no evidence of an episode.
    /// </summary>
    public static double RequestsToJudge(SpikeMetric metric, double minRequests) => metric switch
    {
        SpikeMetric.P99 => Math.Max(minRequests, 100),
        SpikeMetric.P95 => Math.Max(minRequests, 20),
        _ => minRequests,
    };

    /// <summary>
    /// The period of episodes starting at <paramref name="starts"/>: the median gap between consecutive starts when every
    /// gap is within <see cref="RecurrenceTolerance"/> of it or one step; null for fewer than two episodes or irregular gaps.
    /// </summary>
    public static double? Recurrence(IReadOnlyList<DateTimeOffset> starts, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(starts);
        if (starts.Count < 2)
        {
            return null;
        }

        var ordered = starts.Order().ToList();
        var gaps = ordered.Zip(ordered.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        var median = RobustStats.Median(gaps.Select(g => (double?)g))!.Value;
        var tolerance = Math.Max(RecurrenceTolerance * median, step.TotalSeconds);
        return gaps.All(g => Math.Abs(g - median) <= tolerance) ? median : null;
    }

    /// <summary>
    /// The episodes a diagnosis reports: every P99 episode, the P95 episodes that no P99 episode overlaps (the same spike is
    /// said once), and the failure-rate episodes; by start.
    /// </summary>
    public static IReadOnlyList<Episode> Report(IReadOnlyList<Episode> p99, IReadOnlyList<Episode> p95, IReadOnlyList<Episode> failureRate)
    {
        ArgumentNullException.ThrowIfNull(p99);
        ArgumentNullException.ThrowIfNull(p95);
        ArgumentNullException.ThrowIfNull(failureRate);
        var p95Alone = p95.Where(e => !p99.Any(o => o.Start < e.End && e.Start < o.End));
        return [.. p99.Concat(p95Alone).Concat(failureRate).OrderBy(e => e.Start).ThenBy(e => e.Metric)];
    }

    /// <summary>Whether <paramref name="time"/> (a point's) lies in <paramref name="episode"/>: after its start, up to its end.</summary>
    public static bool Contains(this Episode episode, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return time > episode.Start && time <= episode.End;
    }
}
