using Dashboard.Proxy.ProxyInit;

namespace Dashboard.Tests.ProxyInit;

/// <summary>The exact commands init runs for given flags: what a pod's nat table ends up holding.</summary>
public sealed class RedirectRulesTests
{
    private static readonly Firewall Nft = new("iptables-nft", "iptables-nft-save", "test");

    [Fact]
    public void Defaults_in_a_fresh_namespace_create_both_chains_and_jump_into_them()
    {
        Assert.Equal("""
            iptables-nft -t nat -N PROXY_INIT_REDIRECT
            iptables-nft -t nat -A PROXY_INIT_REDIRECT -p tcp -m multiport --dports 4190,4191 -m comment --comment mesh-init/ignore-inbound-ports -j RETURN
            iptables-nft -t nat -A PROXY_INIT_REDIRECT -p tcp -m comment --comment mesh-init/to-inbound-proxy-port -j REDIRECT --to-ports 4143
            iptables-nft -t nat -A PREROUTING -m comment --comment mesh-init/inbound -j PROXY_INIT_REDIRECT
            iptables-nft -t nat -N PROXY_INIT_OUTPUT
            iptables-nft -t nat -A PROXY_INIT_OUTPUT -m owner --uid-owner 2102 -m comment --comment mesh-init/ignore-proxy-uid -j RETURN
            iptables-nft -t nat -A PROXY_INIT_OUTPUT -o lo -m comment --comment mesh-init/ignore-loopback -j RETURN
            iptables-nft -t nat -A PROXY_INIT_OUTPUT -p tcp -m comment --comment mesh-init/to-outbound-proxy-port -j REDIRECT --to-ports 4140
            iptables-nft -t nat -A OUTPUT -m comment --comment mesh-init/outbound -j PROXY_INIT_OUTPUT
            """, Lines(Parse(), NatState.Empty));
    }

    [Fact]
    public void A_second_run_flushes_its_chains_and_keeps_the_existing_jumps()
    {
        Assert.Equal("""
            iptables-nft -t nat -F PROXY_INIT_REDIRECT
            iptables-nft -t nat -A PROXY_INIT_REDIRECT -p tcp -m multiport --dports 4190,4191 -m comment --comment mesh-init/ignore-inbound-ports -j RETURN
            iptables-nft -t nat -A PROXY_INIT_REDIRECT -p tcp -m comment --comment mesh-init/to-inbound-proxy-port -j REDIRECT --to-ports 4143
            iptables-nft -t nat -F PROXY_INIT_OUTPUT
            iptables-nft -t nat -A PROXY_INIT_OUTPUT -m owner --uid-owner 2102 -m comment --comment mesh-init/ignore-proxy-uid -j RETURN
            iptables-nft -t nat -A PROXY_INIT_OUTPUT -o lo -m comment --comment mesh-init/ignore-loopback -j RETURN
            iptables-nft -t nat -A PROXY_INIT_OUTPUT -p tcp -m comment --comment mesh-init/to-outbound-proxy-port -j REDIRECT --to-ports 4140
            """, Lines(Parse(), new NatState(true, true, true, true)));
    }

    [Fact]
    public void A_chain_left_without_its_jump_is_flushed_and_jumped_into_again()
    {
        var lines = Lines(Parse(), new NatState(HasRedirectChain: true, HasOutputChain: false, HasPreroutingJump: false, HasOutputJump: false)).Split('\n');

        Assert.Equal("iptables-nft -t nat -F PROXY_INIT_REDIRECT", lines[0]);
        Assert.Contains("iptables-nft -t nat -A PREROUTING -m comment --comment mesh-init/inbound -j PROXY_INIT_REDIRECT", lines);
        Assert.Contains("iptables-nft -t nat -N PROXY_INIT_OUTPUT", lines);
        Assert.Contains("iptables-nft -t nat -A OUTPUT -m comment --comment mesh-init/outbound -j PROXY_INIT_OUTPUT", lines);
    }

    [Fact]
    public void Every_flag_shapes_its_rule()
    {
        var options = Parse(
            "--incoming-proxy-port", "5143", "--outgoing-proxy-port", "5140", "--proxy-uid", "3000",
            "--inbound-ports-to-ignore", "4190,4191,9000-9100", "--outbound-ports-to-ignore", "25,3306,8000-8080",
            "--subnets-to-ignore", "10.96.0.0/12,192.168.1.7/24", "--firewall-bin-path", "iptables-legacy");

        Assert.Equal("""
            iptables-legacy -t nat -N PROXY_INIT_REDIRECT
            iptables-legacy -t nat -A PROXY_INIT_REDIRECT -p tcp -m multiport --dports 4190,4191,9000:9100 -m comment --comment mesh-init/ignore-inbound-ports -j RETURN
            iptables-legacy -t nat -A PROXY_INIT_REDIRECT -s 10.96.0.0/12 -m comment --comment mesh-init/ignore-subnet -j RETURN
            iptables-legacy -t nat -A PROXY_INIT_REDIRECT -s 192.168.1.0/24 -m comment --comment mesh-init/ignore-subnet -j RETURN
            iptables-legacy -t nat -A PROXY_INIT_REDIRECT -p tcp -m comment --comment mesh-init/to-inbound-proxy-port -j REDIRECT --to-ports 5143
            iptables-legacy -t nat -A PREROUTING -m comment --comment mesh-init/inbound -j PROXY_INIT_REDIRECT
            iptables-legacy -t nat -N PROXY_INIT_OUTPUT
            iptables-legacy -t nat -A PROXY_INIT_OUTPUT -m owner --uid-owner 3000 -m comment --comment mesh-init/ignore-proxy-uid -j RETURN
            iptables-legacy -t nat -A PROXY_INIT_OUTPUT -o lo -m comment --comment mesh-init/ignore-loopback -j RETURN
            iptables-legacy -t nat -A PROXY_INIT_OUTPUT -p tcp -m multiport --dports 25,3306,8000:8080 -m comment --comment mesh-init/ignore-outbound-ports -j RETURN
            iptables-legacy -t nat -A PROXY_INIT_OUTPUT -d 10.96.0.0/12 -m comment --comment mesh-init/ignore-subnet -j RETURN
            iptables-legacy -t nat -A PROXY_INIT_OUTPUT -d 192.168.1.0/24 -m comment --comment mesh-init/ignore-subnet -j RETURN
            iptables-legacy -t nat -A PROXY_INIT_OUTPUT -p tcp -m comment --comment mesh-init/to-outbound-proxy-port -j REDIRECT --to-ports 5140
            iptables-legacy -t nat -A OUTPUT -m comment --comment mesh-init/outbound -j PROXY_INIT_OUTPUT
            """, Lines(options, NatState.Empty, Firewall.Named(options.FirewallBinPath!)));
    }

    [Fact]
    public void An_empty_inbound_ignore_list_redirects_every_inbound_port()
    {
        var lines = Lines(Parse("--inbound-ports-to-ignore", ""), NatState.Empty);

        Assert.DoesNotContain("ignore-inbound-ports", lines, StringComparison.Ordinal);
    }

    [Fact]
    public void Port_lists_are_split_where_one_multiport_match_would_take_more_than_fifteen_ports()
    {
        // Ten single ports and three ranges: 10 + 2 + 2 fit (14), the next range (2 more) starts a second rule.
        var options = Parse("--outbound-ports-to-ignore", "1,2,3,4,5,6,7,8,9,10,20-21,30-31,40-41");

        var rules = RedirectRules.Build(options, Nft, NatState.Empty).Select(c => c.ToString()).Where(c => c.Contains("ignore-outbound-ports", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, rules.Count);
        Assert.Contains("--dports 1,2,3,4,5,6,7,8,9,10,20:21,30:31 ", rules[0], StringComparison.Ordinal);
        Assert.Contains("--dports 40:41 ", rules[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_logged_command_quotes_what_a_shell_would_split()
    {
        var command = new FirewallCommand("/opt/my tools/iptables", ["-t", "nat", "--comment", "it's"]);

        Assert.Equal("'/opt/my tools/iptables' -t nat --comment 'it'\\''s'", command.ToString());
    }

    private static InitOptions Parse(params string[] args)
    {
        var (options, errors) = InitOptionsParser.Parse(args);
        Assert.Empty(errors);
        return options!;
    }

    private static string Lines(InitOptions options, NatState existing, Firewall? firewall = null) =>
        string.Join('\n', RedirectRules.Build(options, firewall ?? Nft, existing));
}
