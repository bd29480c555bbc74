using Dashboard.Tap;

namespace Dashboard.Cli.Top;

/// <summary>
/// The requests <c>top</c> has seen: events folded into requests (<see cref="TapRowFolder"/>) and completed requests
/// aggregated (<see cref="TopAggregator"/>), as on the dashboard's /top page. The tap's reader adds while the screen
/// reads, so both go through one lock.
/// </summary>
internal sealed class TopState(ITapPeerNames peers)
{
    private readonly Lock _gate = new();
    private readonly TapRowFolder _folder = new(peers.NameOf);
    private readonly TopAggregator _top = new();
    private long _version;

    /// <summary>Grows with every completed request: a screen redraws when it changed.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Add(IReadOnlyList<TappedEvent> batch)
    {
        lock (_gate)
        {
            foreach (var tapped in batch)
            {
                // A request is counted once its response ended: the folder completes its row then.
                if (_folder.Fold(tapped) is { IsComplete: true } row)
                {
                    _top.Add(row);
                    Interlocked.Increment(ref _version);
                }
            }
        }
    }

    /// <summary>The table of the rows by count (the first <paramref name="maxRows"/>), and how many requests it counts.</summary>
    public (TextTable Table, long Requests) Table(int? maxRows = null)
    {
        lock (_gate)
        {
            return (TopTextTable.Of(_top.Rows(), maxRows), _top.Requests);
        }
    }
}
