using Dashboard.Configuration;
using Dashboard.Investigation;
using Dashboard.Model;

namespace Dashboard.Tests.Investigation;

/// <summary><c>Dashboard:Investigation</c>: the thresholds, their defaults, and each bad value's message.</summary>
public sealed class InvestigationOptionsTests
{
    [Fact]
    public void Unset_thresholds_are_the_defaults()
    {
        var (settings, errors) = DashboardOptionsParser.Parse(new DashboardOptions(), DashboardEnvironment.Local);

        Assert.Empty(errors);
        Assert.Equal(new InvestigationThresholds(new(5, 2, 10), new(5, 2, 0.05), 10), settings!.Investigation);
        Assert.Equal(StatWindow.FromSeconds(900), settings.InvestigationLookback);
    }

    [Fact]
    public void The_lookback_of_panels_and_badges_is_a_window()
    {
        var (settings, _) = DashboardOptionsParser.Parse(new DashboardOptions { Investigation = new() { Lookback = "1h" } }, DashboardEnvironment.Local);
        var (_, errors) = DashboardOptionsParser.Parse(new DashboardOptions { Investigation = new() { Lookback = "an hour" } }, DashboardEnvironment.Local);

        Assert.Equal(StatWindow.FromSeconds(3600), settings!.InvestigationLookback);
        Assert.Equal($"Dashboard:Investigation:Lookback: 'an hour' is not {StatWindow.Expected}", Assert.Single(errors));
    }

    [Fact]
    public void Good_values_are_parsed_in_invariant_culture()
    {
        var options = new DashboardOptions
        {
            Investigation = new()
            {
                LatencySigmas = "3", LatencyFactor = "1.25", LatencyAbsoluteMs = " 20 ", FailureSigmas = "0",
                FailureFactor = "1", FailureAbsolute = "0.1", MinRequests = "2.5",
            },
        };

        var (settings, errors) = DashboardOptionsParser.Parse(options, DashboardEnvironment.Local);

        Assert.Empty(errors);
        Assert.Equal(new InvestigationThresholds(new(3, 1.25, 20), new(0, 1, 0.1), 2.5), settings!.Investigation);
    }

    [Theory]
    [InlineData("LatencySigmas", "-1", "Dashboard:Investigation:LatencySigmas: '-1' is out of range (expected a number at least 0)")]
    [InlineData("LatencyFactor", "0.5", "Dashboard:Investigation:LatencyFactor: '0.5' is out of range (expected a number at least 1)")]
    [InlineData("LatencyAbsoluteMs", "10ms", "Dashboard:Investigation:LatencyAbsoluteMs: '10ms' is not a number (expected one at least 0, such as '10')")]
    [InlineData("FailureSigmas", "NaN", "Dashboard:Investigation:FailureSigmas: 'NaN' is not a number (expected one at least 0, such as '5')")]
    [InlineData("FailureFactor", "1,5", "Dashboard:Investigation:FailureFactor: '1,5' is not a number (expected one at least 1, such as '2')")]
    [InlineData("FailureAbsolute", "5", "Dashboard:Investigation:FailureAbsolute: '5' is out of range (expected a share of requests between 0 and 1)")]
    [InlineData("FailureAbsolute", "-0.1", "Dashboard:Investigation:FailureAbsolute: '-0.1' is out of range (expected a number at least 0)")]
    [InlineData("MinRequests", "0", "Dashboard:Investigation:MinRequests: '0' is out of range (expected a number above 0)")]
    public void A_bad_threshold_is_reported_with_its_key_the_value_and_what_was_expected(string key, string value, string expected)
    {
        var options = new DashboardOptions();
        Set(options.Investigation, key, value);

        var (settings, errors) = DashboardOptionsParser.Parse(options, DashboardEnvironment.Local);

        Assert.Null(settings);
        Assert.Equal(expected, Assert.Single(errors));
    }

    [Fact]
    public void Every_bad_threshold_is_reported_at_once()
    {
        var options = new DashboardOptions
        {
            Investigation = new() { LatencySigmas = "many", LatencyFactor = "0", FailureAbsolute = "2", MinRequests = "-5" },
        };

        var (_, errors) = DashboardOptionsParser.Parse(options, DashboardEnvironment.Local);

        Assert.Equal(
            [ConfigKeys.InvestigationLatencySigmas, ConfigKeys.InvestigationLatencyFactor, ConfigKeys.InvestigationMinRequests, ConfigKeys.InvestigationFailureAbsolute],
            errors.Select(e => e[..e.IndexOf(": ", StringComparison.Ordinal)]));
    }

    private static void Set(InvestigationOptions options, string key, string value)
    {
        switch (key)
        {
            case "LatencySigmas": options.LatencySigmas = value; break;
            case "LatencyFactor": options.LatencyFactor = value; break;
            case "LatencyAbsoluteMs": options.LatencyAbsoluteMs = value; break;
            case "FailureSigmas": options.FailureSigmas = value; break;
            case "FailureFactor": options.FailureFactor = value; break;
            case "FailureAbsolute": options.FailureAbsolute = value; break;
            case "MinRequests": options.MinRequests = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(key), key, null);
        }
    }
}
