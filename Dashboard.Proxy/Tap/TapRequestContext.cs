using System.Diagnostics;
using Dashboard.Contracts.Tap;

namespace Dashboard.Proxy.Tap;

/// <summary>The tap state of one admitted request: who receives its three events, and their common fields.</summary>
internal sealed class TapRequestContext
{
    private readonly TapSubscription[] _subscribers;
    private readonly bool _anyWantsHeaders;
    private readonly TapEvent _template;
    private long _responseStart;

    public TapRequestContext(TapSubscription[] subscribers, TapEvent template)
    {
        _subscribers = subscribers;
        _template = template;
        _anyWantsHeaders = subscribers.Any(s => s.WantsHeaders);
    }

    public long RequestStart { get; init; }

    /// <summary>Bytes of response body written to the client, counted only for tapped requests.</summary>
    public long ResponseBytes { get; set; }

    public void RequestInit(HttpContext context, string authority) => Publish(_template with
    {
        Kind = TapEventKind.RequestInit,
        TimestampMicros = NowMicros(),
        Method = context.Request.Method,
        Scheme = context.Request.Scheme,
        Authority = authority,
        Path = context.Request.Path.Value + context.Request.QueryString.Value,
        Headers = _anyWantsHeaders ? TapHeaders.From(context.Request.Headers) : null,
    });

    public void ResponseInit(HttpContext context)
    {
        _responseStart = Stopwatch.GetTimestamp();
        Publish(_template with
        {
            Kind = TapEventKind.ResponseInit,
            TimestampMicros = NowMicros(),
            Status = context.Response.StatusCode,
            SinceRequestInitMicros = Micros(RequestStart, _responseStart),
            Headers = _anyWantsHeaders ? TapHeaders.From(context.Response.Headers) : null,
        });
    }

    public void ResponseEnd(HttpContext context, int? grpcStatus, string? resetError)
    {
        if (_responseStart == 0)
        {
            // No upstream response (refused, timed out): the proxy's own answer is the response.
            ResponseInit(context);
        }

        Publish(_template with
        {
            Kind = TapEventKind.ResponseEnd,
            TimestampMicros = NowMicros(),
            SinceResponseInitMicros = Micros(_responseStart, Stopwatch.GetTimestamp()),
            ResponseBytes = ResponseBytes,
            GrpcStatus = grpcStatus,
            ResetError = resetError,
        });
    }

    private void Publish(TapEvent tapEvent)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Publish(subscriber.WantsHeaders || tapEvent.Headers is null ? tapEvent : tapEvent with { Headers = null });
        }
    }

    private static long Micros(long from, long to) => (long)Stopwatch.GetElapsedTime(from, to).TotalMicroseconds;

    private static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
}
