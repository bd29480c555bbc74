using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Dashboard.Tap;

/// <summary>
/// One running tap: a stream from each targeted pod's proxy, each with its share of the max-rps budget, merged into
/// one bounded buffer (the oldest events go first when the reader falls behind, and are counted). Pods whose proxy
/// cannot be reached or refuses are reported in <see cref="Pods"/> while the others keep streaming.
/// Read with <see cref="ReadBatchesAsync"/>; dispose to stop every stream.
/// </summary>
public sealed class TapSession : ITapStream
{
    private readonly Channel<TappedEvent> _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly PodTapStream[] _streams;
    private readonly IReadOnlyList<TapPodStatus> _skipped;
    private long _dropped;

    private Task[] _running = [];

    /// <summary>A session of <paramref name="query"/> over <paramref name="targets"/>; nothing connects before <see cref="Start"/>.</summary>
    public TapSession(TapQuery query, TapTargets targets, TapConnectionOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        Query = query;
        BufferCapacity = options.BufferCapacity;
        _skipped = targets.Skipped;
        _events = Channel.CreateBounded<TappedEvent>(
            new BoundedChannelOptions(options.BufferCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        var request = query.ToRequest(targets.Targets.Count);
        _streams = [.. targets.Targets.Select(t => new PodTapStream(t, request, options, Publish, OnStreamChanged, time, logger))];
    }

    public TapQuery Query { get; }

    /// <summary>Events the session holds for its reader before it drops the oldest.</summary>
    public int BufferCapacity { get; }

    /// <summary>Each pod's requests per second: the query's budget split evenly across the streamed pods.</summary>
    public double MaxRpsPerPod => Query.MaxRps / Math.Max(1, _streams.Length);

    /// <summary>Events lost because the reader fell behind by more than the buffer holds.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Every pod of the query: streamed ones first, then those skipped, each with its state and reason.</summary>
    public IReadOnlyList<TapPodStatus> Pods => [.. _streams.Select(s => s.Status), .. _skipped];

    /// <summary>Raised (on a background thread) when a pod's state changes: connected, unreachable, refused.</summary>
    public event Action<TapPodStatus>? PodChanged;

    /// <summary>Opens every pod's stream at once (subscribe to <see cref="PodChanged"/> first to see every change).</summary>
    public void Start()
    {
        if (_running.Length == 0 && !_stop.IsCancellationRequested)
        {
            _running = [.. _streams.Select(s => Task.Run(() => s.RunAsync(_stop.Token), CancellationToken.None))];
        }
    }

    /// <summary>
    /// The merged events in batches: each batch is what had arrived when the reader asked, at most
    /// <paramref name="maxBatch"/>, so one batch is one render. Ends when the session is disposed.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<TappedEvent>> ReadBatchesAsync(int maxBatch = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _events.Reader;
        while (await WaitAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            var batch = new List<TappedEvent>();
            while (batch.Count < maxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }
        }
    }

    /// <summary>Whether the session was disposed: every stream to a proxy is closed or closing.</summary>
    public bool Stopped => _stop.IsCancellationRequested;

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).ConfigureAwait(false);
        _events.Writer.TryComplete();
        _stop.Dispose();
    }

    private static async Task<bool> WaitAsync(ChannelReader<TappedEvent> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Where the pod streams write; tests feed a session without proxies through it.</summary>
    internal void Publish(TappedEvent item) => _events.Writer.TryWrite(item);

    private void OnStreamChanged(PodTapStream stream) => PodChanged?.Invoke(stream.Status);
}
