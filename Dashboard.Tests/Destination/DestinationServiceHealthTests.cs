using Dashboard.Proxy.Destination;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Destination;

/// <summary>How a resolver tells a destination-service outage: once however many streams fail, again each minute it lasts, and its end.</summary>
public sealed class DestinationServiceHealthTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 14, 0, 0, TimeSpan.Zero));
    private readonly LogCapture _logs = new();

    [Fact]
    public void Many_streams_failing_log_the_outage_once_then_at_most_once_a_minute_and_its_end_once()
    {
        var health = new DestinationServiceHealth("10.96.0.5:8086", () => 3, _time, _logs.CreateLogger("health"));

        for (var i = 0; i < 10; i++)
        {
            health.StreamEnded($"authority svc-{i % 3}:80", StatusCode.Unavailable, "Error connecting to subchannel.", TimeSpan.FromSeconds(1));
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(["Destination service 10.96.0.5:8086 unreachable (Unavailable: Error connecting to subchannel.); serving 3 destinations from their last known endpoints and retrying"],
            Messages(LogLevel.Warning));
        Assert.False(health.Reachable);
        Assert.Equal("destination service 10.96.0.5:8086 unreachable since 2026-12-02T14:00:00Z (Unavailable: Error connecting to subchannel.); " +
            "serving 3 destinations from their last known endpoints", health.UnreachableNote());

        _time.Advance(TimeSpan.FromSeconds(10));
        health.StreamEnded("authority svc-0:80", StatusCode.Unavailable, "Error connecting to subchannel.", TimeSpan.FromSeconds(10));
        health.StreamEnded("authority svc-1:80", StatusCode.Unavailable, "Error connecting to subchannel.", TimeSpan.FromSeconds(10));
        Assert.Equal(2, Messages(LogLevel.Warning).Count);
        Assert.StartsWith("Destination service 10.96.0.5:8086 still unreachable since", Messages(LogLevel.Warning)[1], StringComparison.Ordinal);

        health.StreamAnswered();
        health.StreamAnswered();

        Assert.True(health.Reachable);
        Assert.Null(health.UnreachableNote());
        Assert.Equal(["Destination service 10.96.0.5:8086 reachable again after 00:01:00"], Messages(LogLevel.Information));
        Assert.Equal(12, health.Responses(StatusCode.Unavailable));
    }

    [Fact]
    public void A_target_the_service_refuses_and_streams_the_proxy_closes_are_no_outage()
    {
        var health = new DestinationServiceHealth("10.96.0.5:8086", () => 1, _time, _logs.CreateLogger("health"));

        health.StreamEnded("authority web:http", StatusCode.InvalidArgument, "authority: 'web:http' is not an authority", TimeSpan.FromSeconds(1));
        health.StreamEnded("authority web:80", StatusCode.Cancelled, "", TimeSpan.FromSeconds(1));
        health.StreamEnded("authority web:80", StatusCode.OK, "", TimeSpan.FromSeconds(1));

        Assert.True(health.Reachable);
        Assert.Empty(Messages(LogLevel.Warning));
        Assert.Equal((1, 1, 1), (health.Responses(StatusCode.InvalidArgument), health.Responses(StatusCode.Cancelled), health.Responses(StatusCode.OK)));
    }

    private List<string> Messages(LogLevel level) => [.. _logs.Entries.Where(e => e.Level == level).Select(e => e.Message)];
}
