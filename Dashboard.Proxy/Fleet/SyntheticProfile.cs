namespace Dashboard.Proxy.Fleet;

/// <summary>
/// A synthetic deployment's traffic as its own proxies see it inbound, drawn from a generator seeded by its name
/// (stable across restarts): its request rate, success rate, log-normal latency and message sizes.
/// </summary>
internal sealed record SyntheticProfile(double Rps, double SuccessRate, double P50Ms, double Sigma, int RequestBytes, int ResponseBytes)
{
    public double MeanMs => P50Ms * Math.Exp(Sigma * Sigma / 2);

    public static SyntheticProfile Of(string ns, string deployment)
    {
        var random = new Random(StableHash($"{ns}/{deployment}"));
        var rps = Math.Exp(Math.Log(0.2) + (random.NextDouble() * Math.Log(100)));
        var draw = random.NextDouble();
        var success = draw < 0.7 ? 1.0 : draw < 0.9 ? 0.95 + (random.NextDouble() * 0.05) : 0.8 + (random.NextDouble() * 0.15);
        var p50 = Math.Exp(Math.Log(2) + (random.NextDouble() * Math.Log(100)));
        var p99OverP50 = 2 + (random.NextDouble() * 8);
        return new SyntheticProfile(rps, success, p50, Math.Log(p99OverP50) / 2.3263478740408408,
            RequestBytes: 100 + random.Next(900), ResponseBytes: 200 + random.Next(4800));
    }

    /// <summary>The share of requests answered within <paramref name="ms"/>.</summary>
    public double Cdf(double ms) => ms <= 0 ? 0 : 0.5 * Erfc(-(Math.Log(ms / P50Ms) / Sigma) / Math.Sqrt(2));

    /// <summary>A seed from a name that, unlike <see cref="string.GetHashCode()"/>, is the same in every process.</summary>
    public static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }

    // Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7): .NET has no erf.
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.3275911 * z));
        var poly = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        var erfcPositive = poly * Math.Exp(-z * z);
        return x >= 0 ? erfcPositive : 2 - erfcPositive;
    }
}
