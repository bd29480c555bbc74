using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.ProxyInit;

namespace Dashboard.Tests.ProxyInit;

public sealed class InitOptionsParserTests
{
    [Fact]
    public void Without_flags_the_mesh_defaults_apply()
    {
        var (options, errors) = InitOptionsParser.Parse([]);

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal(4143, options.IncomingProxyPort);
        Assert.Equal(4140, options.OutgoingProxyPort);
        Assert.Equal(2102, options.ProxyUid);
        Assert.Equal([new PortRange(4190, 4190), new PortRange(4191, 4191)], options.InboundPortsToIgnore);
        Assert.Empty(options.OutboundPortsToIgnore);
        Assert.Empty(options.SubnetsToIgnore);
        Assert.Null(options.FirewallBinPath);
        Assert.False(options.DryRun);
    }

    [Fact]
    public void Flags_take_their_value_after_a_space_or_an_equals_sign()
    {
        var (options, errors) = InitOptionsParser.Parse(
            ["--incoming-proxy-port=5143", "--outbound-ports-to-ignore", " 25 , 9000-9100,", "--subnets-to-ignore=198.19.0.0/16", "--dry-run"]);

        Assert.Empty(errors);
        Assert.Equal(5143, options!.IncomingProxyPort);
        Assert.Equal([new PortRange(25, 25), new PortRange(9000, 9100)], options.OutboundPortsToIgnore);
        Assert.Equal("198.19.0.0/16", Assert.Single(options.SubnetsToIgnore).ToString());
        Assert.True(options.DryRun);
    }

    [Fact]
    public void A_bare_address_is_a_subnet_of_one()
    {
        var (options, _) = InitOptionsParser.Parse(["--subnets-to-ignore", "198.18.0.9"]);

        Assert.Equal("198.18.0.9/32", Assert.Single(options!.SubnetsToIgnore).ToString());
    }

    [Theory]
    [InlineData("--incoming-proxy-port", "0", "--incoming-proxy-port: '0' is not a port; expected a port from 1 to 65535")]
    [InlineData("--outgoing-proxy-port", "http", "--outgoing-proxy-port: 'http' is not a port; expected a port from 1 to 65535")]
    [InlineData("--proxy-uid", "0", "--proxy-uid: '0' is not a user ID for the proxy; expected a non-root UID")]
    [InlineData("--proxy-uid", "-1", "--proxy-uid: '-1' is not a user ID")]
    [InlineData("--inbound-ports-to-ignore", "4190,70000", "--inbound-ports-to-ignore: '70000' is not a port or a range of ports; expected a port from 1 to 65535 or LOW-HIGH")]
    [InlineData("--outbound-ports-to-ignore", "9100-9000", "--outbound-ports-to-ignore: '9100-9000' is an empty range")]
    [InlineData("--outbound-ports-to-ignore", "1-2-3", "--outbound-ports-to-ignore: '1-2-3' is not a port or a range of ports")]
    [InlineData("--subnets-to-ignore", "10.0.0.0/33", "--subnets-to-ignore: '10.0.0.0/33' is not an IPv4 network; expected ADDRESS/PREFIX")]
    [InlineData("--subnets-to-ignore", "fd00::/8", "--subnets-to-ignore: 'fd00::/8' is not an IPv4 network")]
    [InlineData("--firewall-bin-path", "/usr/sbin/nft", "--firewall-bin-path: '/usr/sbin/nft' is not an iptables binary; expected iptables, iptables-legacy, iptables-nft")]
    public void A_bad_value_is_refused_naming_its_flag_and_what_was_expected(string flag, string value, string message)
    {
        var (options, errors) = InitOptionsParser.Parse([flag, value]);

        Assert.Null(options);
        Assert.StartsWith(message, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var (options, errors) = InitOptionsParser.Parse(["--ports-to-redirect", "80", "--proxy-uid", "--incoming-proxy-port", "1", "--incoming-proxy-port", "2"]);

        Assert.Null(options);
        Assert.Collection(errors,
            e => Assert.StartsWith("unknown argument '--ports-to-redirect'; init takes --incoming-proxy-port, ", e, StringComparison.Ordinal),
            e => Assert.StartsWith("unknown argument '80'", e, StringComparison.Ordinal),
            e => Assert.Equal("--proxy-uid needs a value", e),
            e => Assert.Equal("--incoming-proxy-port is given twice ('1' and '2'); give it once, lists comma-separated", e));
    }

    [Fact]
    public void A_flag_given_twice_is_refused()
    {
        var (_, errors) = InitOptionsParser.Parse(["--outbound-ports-to-ignore", "25", "--outbound-ports-to-ignore=3306"]);

        Assert.Equal("--outbound-ports-to-ignore is given twice ('25' and '3306'); give it once, lists comma-separated", Assert.Single(errors));
    }

    [Fact]
    public void The_inbound_and_outbound_ports_must_differ()
    {
        var (_, errors) = InitOptionsParser.Parse(["--incoming-proxy-port", "4140"]);

        Assert.StartsWith("--incoming-proxy-port and --outgoing-proxy-port are both 4140", Assert.Single(errors), StringComparison.Ordinal);
    }
}
