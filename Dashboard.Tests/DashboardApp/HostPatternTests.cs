using Dashboard.Security;

namespace Dashboard.Tests.DashboardApp;

public sealed class HostPatternTests
{
    [Theory]
    [InlineData("localhost", "localhost", true)]
    [InlineData("localhost", "LocalHost", true)]
    [InlineData("localhost", "localhost.", true)]
    [InlineData("localhost", "localhost.evil.example", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("[::1]", "[::1]", true)]
    [InlineData("[::1]", "[0:0:0:0:0:0:0:1]", true)]
    [InlineData("::1", "[::1]", true)]
    [InlineData("*.example.com", "a.example.com", true)]
    [InlineData("*.example.com", "a.b.EXAMPLE.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "evilexample.com", false)]
    [InlineData("*.example.com", "a.example.com.evil.org", false)]
    [InlineData("*", "anything.at.all", true)]
    [InlineData("dashboard.mesh.svc", "dashboard.mesh.svc", true)]
    [InlineData("dashboard.mesh.svc", "dashboard", false)]
    public void Matches_hosts_ignoring_case_and_trailing_dots(string pattern, string host, bool expected) =>
        Assert.Equal(expected, HostPattern.Parse(pattern).Matches(host));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("http://dashboard", "is a URL, not a host")]
    [InlineData("dashboard/ui", "is a URL, not a host")]
    [InlineData("dashboard:8084", "has a port")]
    [InlineData("[::1]:8084", "has a port")]
    [InlineData("*dashboard", "has a wildcard other than a leading '*.'")]
    [InlineData("*.", "is empty")]
    [InlineData("a..b", "is not a host name")]
    [InlineData("bad host", "is not a host name")]
    public void Refuses_what_is_not_a_host_pattern(string text, string problem)
    {
        Assert.False(HostPattern.TryParse(text, out _, out var error));
        Assert.StartsWith(problem, error, StringComparison.Ordinal);
    }
}
