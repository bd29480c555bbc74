using Grpc.Core;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// How the destination service answers one resolver's streams, for <c>/ready</c>, <c>/metrics</c> and the log: streams
/// opened and how each ended (by gRPC status), and whether the service is reachable now. It is unreachable from a
/// stream's failure until a stream gets an answer again; the outage is logged once when it starts, at most once a
/// minute while it lasts, and once when it ends, however many destinations retry meanwhile.
/// </summary>
public sealed partial class DestinationServiceHealth
{
    internal static readonly TimeSpan OutageLogInterval = TimeSpan.FromMinutes(1);

    // Indexed by gRPC status code (0..16): counting allocates nothing.
    private readonly long[] _responses = new long[17];
    private readonly Func<int> _subscriptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private long _requests;
    private Outage? _outage;
    private DateTimeOffset _lastLogged;

    internal DestinationServiceHealth(string address, Func<int> subscriptions, TimeProvider time, ILogger logger)
    {
        Address = address;
        _subscriptions = subscriptions;
        _time = time;
        _logger = logger;
    }

    /// <summary>The service's <c>host:port</c> (the <c>addr</c> of the control metrics).</summary>
    public string Address { get; }

    /// <summary>The destinations subscribed to now.</summary>
    public int Subscriptions => _subscriptions();

    /// <summary>Streams opened (<c>control_request_total</c>).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>False from a stream's failure until a stream is answered again.</summary>
    public bool Reachable => Volatile.Read(ref _outage) is null;

    /// <summary>Streams ended with <paramref name="status"/> (<c>control_response_total</c>).</summary>
    public long Responses(StatusCode status) => Interlocked.Read(ref _responses[(int)status]);

    /// <summary>
    /// Null while the service is reachable, else what <c>/ready</c> says: since when, why, and how many destinations are
    /// served from the endpoints their streams last had.
    /// </summary>
    public string? UnreachableNote() => Volatile.Read(ref _outage) is { } outage
        ? $"destination service {Address} unreachable since {outage.Since:yyyy-MM-ddTHH:mm:ssZ} ({outage.Reason}); " +
          $"serving {Subscriptions} destinations from their last known endpoints"
        : null;

    internal void StreamOpening() => Interlocked.Increment(ref _requests);

    /// <summary>A stream got its first answer: the service is reachable.</summary>
    internal void StreamAnswered()
    {
        if (Volatile.Read(ref _outage) is null)
        {
            return;
        }

        lock (_lock)
        {
            if (_outage is { } outage)
            {
                _outage = null;
                LogRecovered(Address, _time.GetUtcNow() - outage.Since);
            }
        }
    }

    /// <summary>A stream ended with <paramref name="status"/>; a failure starts (or continues) an outage.</summary>
    internal void StreamEnded(string target, StatusCode status, string detail, TimeSpan retry)
    {
        Interlocked.Increment(ref _responses[(int)status]);
        if (status is StatusCode.OK or StatusCode.Cancelled)
        {
            return;
        }

        var reason = $"{status}: {detail}";
        LogStreamFailed(target, reason, retry);
        if (status == StatusCode.InvalidArgument)
        {
            // The service answered and refused the target: reachable, and the stream's own log says why.
            return;
        }

        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_outage is null)
            {
                _outage = new Outage(now, reason);
                _lastLogged = now;
                LogUnreachable(Address, reason, Subscriptions);
            }
            else
            {
                _outage = _outage with { Reason = reason };
                if (now - _lastLogged >= OutageLogInterval)
                {
                    _lastLogged = now;
                    LogStillUnreachable(Address, _outage.Since, reason, Subscriptions);
                }
            }
        }
    }

    private sealed record Outage(DateTimeOffset Since, string Reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Destination service {Address} unreachable ({Reason}); serving {Count} destinations from their last known endpoints and retrying")]
    private partial void LogUnreachable(string address, string reason, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Destination service {Address} still unreachable since {Since} ({Reason}); serving {Count} destinations from their last known endpoints")]
    private partial void LogStillUnreachable(string address, DateTimeOffset since, string reason, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Destination service {Address} reachable again after {Outage}")]
    private partial void LogRecovered(string address, TimeSpan outage);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Destination service: the stream of {Target} failed ({Reason}); keeping its endpoints, retrying in {Retry}")]
    private partial void LogStreamFailed(string target, string reason, TimeSpan retry);
}
