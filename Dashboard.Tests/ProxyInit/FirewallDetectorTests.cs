using Dashboard.Proxy.ProxyInit;

namespace Dashboard.Tests.ProxyInit;

/// <summary>Which iptables init picks when no --firewall-bin-path is given, from what is installed and what already holds rules.</summary>
public sealed class FirewallDetectorTests
{
    private static readonly string[] Both = ["iptables-nft", "iptables-nft-save", "iptables-legacy", "iptables-legacy-save", "iptables", "iptables-save"];

    [Fact]
    public async Task Without_any_iptables_init_says_so_and_how_to_get_it()
    {
        var (firewall, error) = await FirewallDetector.DetectAsync(Installed(), run: null);

        Assert.Null(firewall);
        Assert.StartsWith("iptables not found: looked for iptables-nft, iptables-legacy and iptables", error, StringComparison.Ordinal);
        Assert.Contains("--firewall-bin-path", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plain_iptables_is_taken_when_it_is_the_only_one()
    {
        var (firewall, _) = await FirewallDetector.DetectAsync(Installed("iptables", "iptables-save"), run: null);

        Assert.Equal(("/usr/sbin/iptables", "/usr/sbin/iptables-save"), (firewall!.Bin, firewall.SaveBin));
    }

    [Fact]
    public async Task With_both_backends_the_one_holding_rules_wins()
    {
        var (firewall, _) = await FirewallDetector.DetectAsync(Installed(Both), Listing(nft: 0, legacy: 3));

        Assert.Equal("/usr/sbin/iptables-legacy", firewall!.Bin);
        Assert.Equal("it holds 3 rules here, iptables-nft 0", firewall.Reason);
    }

    [Fact]
    public async Task With_both_backends_empty_nf_tables_wins()
    {
        var (firewall, _) = await FirewallDetector.DetectAsync(Installed(Both), Listing(nft: 0, legacy: 0));

        Assert.Equal("/usr/sbin/iptables-nft", firewall!.Bin);
    }

    [Fact]
    public async Task Listing_without_NET_ADMIN_is_reported_as_the_missing_capability()
    {
        var denied = new CommandResult(4, "", "iptables-nft-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n");

        var (firewall, error) = await FirewallDetector.DetectAsync(Installed(Both), _ => Task.FromResult(denied));

        Assert.Null(firewall);
        Assert.StartsWith("not permitted to change this network namespace's iptables rules: the init container needs the NET_ADMIN capability", error, StringComparison.Ordinal);
        Assert.EndsWith("said: iptables-nft-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)", error, StringComparison.Ordinal);
    }

    private static Func<string, string?> Installed(params string[] names) => name => names.Contains(name) ? "/usr/sbin/" + name : null;

    private static Func<FirewallCommand, Task<CommandResult>> Listing(int nft, int legacy) => command =>
    {
        var rules = Enumerable.Repeat("-A OUTPUT -j RETURN", command.File.Contains("legacy", StringComparison.Ordinal) ? legacy : nft);
        return Task.FromResult(new CommandResult(0, string.Join('\n', ["*nat", ":OUTPUT ACCEPT [0:0]", .. rules, "COMMIT"]), ""));
    };
}
