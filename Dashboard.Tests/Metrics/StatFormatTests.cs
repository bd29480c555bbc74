using Dashboard.Model;

namespace Dashboard.Tests.Metrics;

public sealed class StatFormatTests
{
    [Theory]
    [InlineData(null, "-")]
    [InlineData(double.NaN, "-")]
    [InlineData(1.0, "100.00%")]
    [InlineData(0.995, "99.50%")]
    [InlineData(0.12345, "12.35%")]
    [InlineData(0.99994, "99.99%")]
    [InlineData(0.99995, "99.99%")] // would round to 100.00%: a failure must not disappear
    [InlineData(0.999999, "99.99%")]
    [InlineData(0.5, "50.00%")]
    [InlineData(0.0, "0.00%")]
    [InlineData(0.000001, "0.01%")] // a success must not disappear either
    public void Success_rate(double? rate, string expected) => Assert.Equal(expected, StatFormat.SuccessRate(rate));

    [Theory]
    [InlineData(null, "-")]
    [InlineData(double.PositiveInfinity, "-")]
    [InlineData(0.0, "0rps")]
    [InlineData(0.004, "<0.01rps")]
    [InlineData(0.05, "0.05rps")]
    [InlineData(0.5, "0.50rps")]
    [InlineData(1.0, "1.0rps")]
    [InlineData(3.2, "3.2rps")]
    [InlineData(17.26, "17.3rps")]
    [InlineData(99.96, "100rps")]
    [InlineData(120.0, "120rps")]
    [InlineData(1234.4, "1234rps")]
    public void Requests_per_second(double? rps, string expected) => Assert.Equal(expected, StatFormat.Rps(rps));

    [Theory]
    [InlineData(null, "-")]
    [InlineData(double.NaN, "-")]
    [InlineData(double.PositiveInfinity, "-")]
    [InlineData(0.85, "850µs")]
    [InlineData(0.999, "999µs")]
    [InlineData(0.9996, "1ms")]
    [InlineData(1.0, "1ms")]
    [InlineData(6.0, "6ms")]
    [InlineData(17.4, "17ms")]
    [InlineData(999.4, "999ms")]
    [InlineData(999.6, "1.00s")]
    [InlineData(1000.0, "1.00s")]
    [InlineData(1250.0, "1.25s")]
    [InlineData(50000.0, "50.00s")]
    public void Latency(double? milliseconds, string expected) => Assert.Equal(expected, StatFormat.Latency(milliseconds));

    [Theory]
    [InlineData(null, "-")]
    [InlineData(0.0, "0%")]
    [InlineData(1.0, "100%")]
    [InlineData(0.5, "50%")]
    [InlineData(0.996, "99%")]
    [InlineData(0.004, "1%")]
    public void Tls_share(double? share, string expected) => Assert.Equal(expected, StatFormat.TlsShare(share));

    [Theory]
    [InlineData(null, Health.None)]
    [InlineData(double.NaN, Health.None)]
    [InlineData(0.0, Health.Bad)]
    [InlineData(0.8999, Health.Bad)]
    [InlineData(0.90, Health.Warn)]
    [InlineData(0.9499, Health.Warn)]
    [InlineData(0.95, Health.Good)]
    [InlineData(1.0, Health.Good)]
    public void Health_thresholds(double? rate, Health expected) => Assert.Equal(expected, StatFormat.HealthOf(rate));
}
