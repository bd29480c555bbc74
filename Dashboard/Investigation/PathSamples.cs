namespace Dashboard.Investigation;

/// <summary>One request a tap saw: when it started, its route (the path without the query), latency and outcome.</summary>
public readonly record struct PathSample(DateTimeOffset Time, string Route, double LatencyMs, bool Failed);

/// <summary>
/// The tapped requests of one resource over the last while, for an investigation's path causes: a ring of at most
/// <see cref="Capacity"/> samples, the oldest forgotten first. Thread-safe: the tap's reader adds while investigations read.
/// </summary>
public sealed class PathSamples(int capacity = PathSamples.DefaultCapacity)
{
    /// <summary>Fifteen minutes of a tap at 20 requests per second.</summary>
    public const int DefaultCapacity = 18_000;

    private readonly Lock _lock = new();
    private readonly PathSample[] _ring = new PathSample[capacity];
    private int _next;
    private int _count;

    public int Capacity => _ring.Length;

    /// <summary>When the oldest sample held was taken; null when there is none.</summary>
    public DateTimeOffset? Since
    {
        get
        {
            lock (_lock)
            {
                return _count == 0 ? null : _ring[(_next - _count + _ring.Length) % _ring.Length].Time;
            }
        }
    }

    public void Add(PathSample sample)
    {
        lock (_lock)
        {
            _ring[_next] = sample;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>The samples held, oldest first.</summary>
    public IReadOnlyList<PathSample> Snapshot()
    {
        lock (_lock)
        {
            var copy = new PathSample[_count];
            for (var i = 0; i < _count; i++)
            {
                copy[i] = _ring[(_next - _count + i + _ring.Length) % _ring.Length];
            }

            return copy;
        }
    }
}

/// <summary>
/// Which paths an episode is attributed to, from tap samples: each route's requests during the episode against its
/// requests outside every episode of the metric while the tap ran, by the thresholds' factor and absolute amount (as
/// callers are judged). The latency compared is the route's P95 when the episode has 20 of its requests (the tail
/// holds one), else its median; a failure rate, the share failed. Routes are causes when some rose and not all: a
/// resource with one route tapped says nothing by naming it.
/// </summary>
public static class PathAttribution
{
    /// <summary>Tapped requests a route needs, during the episode and outside, to be judged.</summary>
    public const int MinSamples = 5;

    public static IReadOnlyList<Cause> Attribute(
        Episode episode, IReadOnlyList<Episode> sameMetric, IReadOnlyList<PathSample> samples, InvestigationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(episode);
        ArgumentNullException.ThrowIfNull(sameMetric);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(thresholds);
        var failures = episode.Metric == SpikeMetric.FailureRate;
        var deviation = failures ? thresholds.FailureRate : thresholds.Latency;
        var changes = new List<(string Route, string Measure, double During, double Outside, int Count, bool Rose)>();
        foreach (var route in samples.GroupBy(s => s.Route, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var during = route.Where(s => episode.Contains(s.Time)).ToList();
            var outside = route.Where(s => !sameMetric.Any(e => e.Contains(s.Time))).ToList();
            if (during.Count < MinSamples || outside.Count < MinSamples)
            {
                continue;
            }

            var (measure, now, before) = failures
                ? ("failure rate", Share(during), Share(outside))
                : during.Count >= EpisodeDetection.RequestsToJudge(SpikeMetric.P95, 0)
                    ? ("P95", Latency(during, 0.95), Latency(outside, 0.95))
                    : ("P50", Latency(during, 0.5), Latency(outside, 0.5));
            changes.Add((route.Key, measure, now, before, during.Count, new RobustBaseline(before, 0, 1).IsHigh(now, deviation)));
        }

        var risen = changes.Where(c => c.Rose).ToList();
        if (risen.Count == 0 || risen.Count == changes.Count)
        {
            return [];
        }

        var stayed = string.Join(", ", changes.Where(c => !c.Rose).Select(c => $"{c.Route} stayed at {Format(c.Measure, c.During)}"));
        return [.. risen.OrderByDescending(c => c.During - c.Outside).Select(c => new Cause(CauseKind.Path, c.Route,
            $"{c.Route}: {c.Measure} {Format(c.Measure, c.During)} during the episode vs {Format(c.Measure, c.Outside)} outside, " +
            $"from {c.Count} tapped requests; {stayed}"))];

        static double Share(List<PathSample> samples) => samples.Count(s => s.Failed) / (double)samples.Count;

        static double Latency(List<PathSample> samples, double q) => RobustStats.Quantile(samples.Select(s => s.LatencyMs), q)!.Value;

        static string Format(string measure, double value) => measure == "failure rate"
            ? EpisodeAttribution.Format(SpikeMetric.FailureRate, value)
            : EpisodeAttribution.Format(SpikeMetric.P95, value);
    }
}
