namespace Dashboard.Tap;

/// <summary>
/// Aggregates completed tap rows by (source, destination, method, path), as <c>top</c> shows them: sorted by
/// count, at most <see cref="MaxRows"/> rows, the least recently updated evicted first. Not thread-safe.
/// </summary>
public sealed class TopAggregator(int maxRows = TopAggregator.MaxRows)
{
    public const int MaxRows = 50;

    /// <summary>Latencies kept per row for its percentiles.</summary>
    public const int MaxSamples = 1000;

    private readonly Dictionary<(string, string, string, string), TopRow> _rows = [];
    private long _clock;

    public int Count => _rows.Count;

    /// <summary>Rows evicted to keep at most the maximum.</summary>
    public long Evicted { get; private set; }

    /// <summary>Requests counted, and the matching requests they stand for (so the share the rate limit let through).</summary>
    public long Requests { get; private set; }
    public long Represents { get; private set; }

    public double? LetThrough => Represents == 0 ? null : Math.Min(1, (double)Requests / Represents);

    /// <summary>Counts <paramref name="row"/> once it is complete; incomplete rows are ignored.</summary>
    public void Add(TapRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!row.IsComplete)
        {
            return;
        }

        var key = (row.SourceName, row.DestinationName, row.Method ?? "", row.Route);
        if (!_rows.TryGetValue(key, out var top))
        {
            if (_rows.Count >= maxRows)
            {
                var stale = _rows.MinBy(r => r.Value.UpdatedAt).Key;
                _rows.Remove(stale);
                Evicted++;
            }

            top = new TopRow(key.Item1, key.Item2, key.Item3, key.Item4);
            _rows[key] = top;
        }

        top.Add(row, ++_clock);
        Requests++;
        Represents += row.Represents;
    }

    /// <summary>The rows by count, highest first; ties by the most recently updated.</summary>
    public IReadOnlyList<TopRow> Rows() => [.. _rows.Values.OrderByDescending(r => r.Count).ThenByDescending(r => r.UpdatedAt)];

    public void Clear()
    {
        _rows.Clear();
        (Requests, Represents, Evicted) = (0, 0, 0);
    }
}
