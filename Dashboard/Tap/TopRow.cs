namespace Dashboard.Tap;

/// <summary>
/// One line of <c>top</c>: the completed requests from one source to one destination by method and path.
/// Latencies are the proxy's (request start to response headers). Percentiles come from the most recent
/// <see cref="TopAggregator.MaxSamples"/> latencies, and say how many they come from.
/// </summary>
public sealed class TopRow(string source, string destination, string method, string path)
{
    private readonly List<double> _samples = [];
    private int _next;

    public string Source { get; } = source;
    public string Destination { get; } = destination;
    public string Method { get; } = method;
    public string Path { get; } = path;

    public long Count { get; private set; }
    public long Successes { get; private set; }
    public double? BestMs { get; private set; }
    public double? WorstMs { get; private set; }
    public double? LastMs { get; private set; }
    /// <summary>Matching requests these stand for, counting those the tap's rate budget left out.</summary>
    public long Represents { get; private set; }
    /// <summary>When the row last changed, as the aggregator's counter: larger is more recent.</summary>
    public long UpdatedAt { get; private set; }

    public double? SuccessRate => Count == 0 ? null : (double)Successes / Count;

    /// <summary>The share of this row's matching requests that the tap's rate limit let through (1 when none were left out).</summary>
    public double? LetThrough => Represents == 0 ? null : Math.Min(1, (double)Count / Represents);

    /// <summary>How many latencies the percentiles come from.</summary>
    public int SampleCount => _samples.Count;

    public double? P50Ms => Percentile(0.50);
    public double? P95Ms => Percentile(0.95);

    internal void Add(TapRow row, long now)
    {
        Count++;
        Represents += row.Represents;
        UpdatedAt = now;
        if (row.IsSuccess == true)
        {
            Successes++;
        }

        if (row.LatencyMs is { } latency)
        {
            BestMs = BestMs is { } best ? Math.Min(best, latency) : latency;
            WorstMs = WorstMs is { } worst ? Math.Max(worst, latency) : latency;
            LastMs = latency;
            // The most recent samples, in a ring once full.
            if (_samples.Count < TopAggregator.MaxSamples)
            {
                _samples.Add(latency);
            }
            else
            {
                _samples[_next] = latency;
                _next = (_next + 1) % TopAggregator.MaxSamples;
            }
        }
    }

    /// <summary>Nearest rank over the kept samples, as the fleet's ground truth computes it.</summary>
    public double? Percentile(double q)
    {
        if (_samples.Count == 0)
        {
            return null;
        }

        var sorted = _samples.ToArray();
        Array.Sort(sorted);
        return sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }
}
