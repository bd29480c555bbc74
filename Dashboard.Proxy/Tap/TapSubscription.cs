using System.Threading.Channels;
using Dashboard.Contracts.Tap;

namespace Dashboard.Proxy.Tap;

/// <summary>
/// One tap subscriber: its filter, its rate budget and its bounded buffer. A full buffer drops the
/// oldest event and counts it; publishing never waits.
/// </summary>
public sealed class TapSubscription : IDisposable
{
    private readonly TapBroker _broker;
    private readonly TapRequest _request;
    private readonly TokenBucket _budget;
    private readonly Channel<TapEvent> _channel;
    private long _dropped;
    private long _matched;

    internal TapSubscription(TapBroker broker, TapRequest request, int capacity, TimeProvider time, Action onDropped)
    {
        _broker = broker;
        _request = request;
        _budget = new TokenBucket(request.MaxRps, time);
        _channel = Channel.CreateBounded<TapEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ =>
            {
                Interlocked.Increment(ref _dropped);
                onDropped();
            });
    }

    public ChannelReader<TapEvent> Reader => _channel.Reader;

    public bool WantsHeaders => _request.ExtractHeaders;

    /// <summary>Events this subscriber lost because its buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal bool Matches(in TapRequestInfo info)
    {
        var r = _request;
        return (string.IsNullOrEmpty(r.Direction) || string.Equals(r.Direction, info.Direction, StringComparison.OrdinalIgnoreCase))
            && (string.IsNullOrEmpty(r.Method) || string.Equals(r.Method, info.Method, StringComparison.OrdinalIgnoreCase))
            && (string.IsNullOrEmpty(r.Scheme) || string.Equals(r.Scheme, info.Scheme, StringComparison.OrdinalIgnoreCase))
            && (string.IsNullOrEmpty(r.Authority) || string.Equals(r.Authority, info.Authority, StringComparison.OrdinalIgnoreCase))
            && (string.IsNullOrEmpty(r.PathPrefix) || info.Path.StartsWith(r.PathPrefix, StringComparison.Ordinal))
            && LabelsMatch(r.DestinationLabels, info.DestinationLabels);
    }

    /// <summary>Counts a matching request, then takes it from the rate budget if there is room.</summary>
    internal bool TryAdmit()
    {
        Interlocked.Increment(ref _matched);
        return _budget.TryTake();
    }

    internal void Publish(TapEvent tapEvent) => _channel.Writer.TryWrite(
        tapEvent.Kind == TapEventKind.RequestInit ? tapEvent with { Matched = Interlocked.Read(ref _matched) } : tapEvent);

    internal void Complete() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _broker.Remove(this);
        Complete();
    }

    private static bool LabelsMatch(Dictionary<string, string>? wanted, IReadOnlyDictionary<string, string>? actual)
    {
        if (wanted is null || wanted.Count == 0)
        {
            return true;
        }

        foreach (var (key, value) in wanted)
        {
            var name = key.StartsWith("dst_", StringComparison.Ordinal) ? key[4..] : key;
            if (actual is null || !actual.TryGetValue(name, out var got) || !string.Equals(got, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
