using Dashboard.Investigation;

namespace Dashboard.Tests.Investigation;

/// <summary>Synthetic step traffic: a number of requests per point, all in the latency bucket of a given value.</summary>
internal static class Traffic
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 2, 21, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    /// <summary>Cumulative bounds: all requests in (0, 10] give a P99 of 9.9 ms (<c>10ms</c>), in (100, 500] of 496 ms.</summary>
    public static readonly double[] Bounds = [10, 50, 100, 500, 1000, double.PositiveInfinity];

    public const double FlatMs = 10;

    public const double SpikeMs = 500;

    public static DateTimeOffset At(int step) => T0 + (step * Step);

    public static List<DateTimeOffset> Times(int count) => [.. Enumerable.Range(0, count).Select(At)];

    /// <summary>
    /// <paramref name="requests"/> per point at each of <paramref name="times"/>, under <paramref name="ms"/>, with the
    /// <paramref name="failureRate"/> of them failing.
    /// </summary>
    public static StepTraffic Of(
        IEnumerable<DateTimeOffset> times, Func<DateTimeOffset, double> ms, double requests = 100, Func<DateTimeOffset, double>? failureRate = null)
    {
        var traffic = new StepTraffic();
        foreach (var time in times)
        {
            foreach (var bound in Bounds)
            {
                traffic.AddBucket(time, bound, ms(time) <= bound ? requests : 0);
            }

            var failed = requests * (failureRate?.Invoke(time) ?? 0);
            traffic.AddResponses(time, failure: true, failed);
            traffic.AddResponses(time, failure: false, requests - failed);
        }

        return traffic;
    }
}
