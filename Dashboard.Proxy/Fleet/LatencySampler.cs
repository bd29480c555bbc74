using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Proxy.Fleet;

/// <summary>Draws app latencies from a log-normal distribution fitted to a median and a 99th percentile.</summary>
public static class LatencySampler
{
    // z of the 99th percentile of the standard normal distribution.
    private const double Z99 = 2.3263478740408408;

    public static double SampleMs(LatencySpec spec, Random random)
    {
        var sigma = spec.P99Ms > spec.P50Ms ? Math.Log(spec.P99Ms / spec.P50Ms) / Z99 : 0;
        // Box-Muller: one standard normal draw.
        var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return spec.P50Ms * Math.Exp(sigma * z);
    }
}
