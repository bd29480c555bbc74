using Dashboard.Contracts.Tap;
using Dashboard.Contracts.Utils;

namespace Dashboard.Tap;

/// <summary>
/// Folds the three events of each request into one <see cref="TapRow"/>. Requests still in flight are bounded
/// (the oldest are forgotten first); a response event whose request event was never seen (dropped on the way) is
/// counted and skipped. Not thread-safe: one reader folds.
/// </summary>
public sealed class TapRowFolder(Func<string, string?>? podOfIp = null, int maxInFlight = TapRowFolder.DefaultMaxInFlight)
{
    public const int DefaultMaxInFlight = 10_000;

    private readonly BoundedCache<(string Pod, int Base, long Stream), TapRow> _inFlight = new(maxInFlight);
    private readonly Dictionary<string, long> _lastMatched = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Response events whose request was not seen.</summary>
    public long Orphans { get; private set; }

    public int InFlight => _inFlight.Count;

    /// <summary>Applies one event: the new row for a request init, the updated row otherwise, null when orphaned.</summary>
    public TapRow? Fold(in TappedEvent tapped)
    {
        var e = tapped.Event;
        var key = (tapped.Pod, e.Id.Base, e.Id.Stream);
        if (e.Kind == TapEventKind.RequestInit)
        {
            var row = NewRow(tapped.Pod, e);
            _inFlight.Set(key, row);
            return row;
        }

        if (!_inFlight.TryGetValue(key, out var existing))
        {
            Orphans++;
            return null;
        }

        if (e.Kind == TapEventKind.ResponseInit)
        {
            existing.Status = e.Status;
            existing.LatencyMs = e.SinceRequestInitMicros / 1000.0;
            existing.ResponseHeaders = e.Headers;
        }
        else if (e.Kind == TapEventKind.ResponseEnd)
        {
            existing.DurationMs = e.SinceResponseInitMicros / 1000.0;
            existing.ResponseBytes = e.ResponseBytes;
            existing.GrpcStatus = e.GrpcStatus;
            existing.Error = e.ResetError;
            existing.IsComplete = true;
            _inFlight.Remove(key);
        }

        return existing;
    }

    private TapRow NewRow(string pod, TapEvent e)
    {
        // The proxy's matched count grows by one per matching request, admitted or not: the growth since this
        // pod's previous row is how many requests this row stands for (at least itself).
        var represents = 1L;
        if (e.Matched is { } matched)
        {
            if (_lastMatched.TryGetValue(pod, out var last) && matched > last)
            {
                represents = matched - last;
            }

            _lastMatched[pod] = matched;
        }

        return new TapRow
        {
            Sequence = ++_sequence,
            Pod = pod,
            Id = e.Id,
            Direction = e.Direction,
            Source = e.Source,
            SourcePod = PodName(e.SourceLabels) ?? podOfIp?.Invoke(Ip(e.Source)),
            Destination = e.Destination,
            DestinationPod = PodName(e.DestinationLabels) ?? podOfIp?.Invoke(Ip(e.Destination)),
            Tls = e.Tls,
            StartedAt = DateTimeOffset.UnixEpoch.AddTicks(e.TimestampMicros * 10),
            Method = e.Method,
            Scheme = e.Scheme,
            Authority = e.Authority,
            Path = e.Path,
            RequestHeaders = e.Headers,
            Represents = represents,
        };
    }

    private static string? PodName(Dictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue("pod", out var pod) && pod.Length > 0 ? pod : null;

    /// <summary>The IP of <c>ip:port</c> or <c>[ipv6]:port</c>.</summary>
    internal static string Ip(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0 ? address[..colon].Trim('[', ']') : address;
    }
}
