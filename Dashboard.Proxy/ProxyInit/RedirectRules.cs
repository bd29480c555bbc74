using System.Globalization;
using Dashboard.Contracts.Proxy;

namespace Dashboard.Proxy.ProxyInit;

/// <summary>
/// The iptables commands that send a pod's TCP traffic through its proxy, in the order they run. Inbound (PREROUTING into
/// <see cref="NatState.RedirectChain"/>): ignored ports and subnets return, everything else goes to the inbound port.
/// Outbound (OUTPUT into <see cref="NatState.OutputChain"/>): the proxy's own user, loopback, ignored ports and subnets
/// return, everything else goes to the outbound port. A chain that exists is flushed and refilled; a jump that exists is kept.
/// </summary>
public static class RedirectRules
{
    /// <summary>Every rule carries a comment with this prefix, so <c>iptables-save</c> shows where it came from.</summary>
    public const string CommentPrefix = "mesh-init/";

    /// <summary>The most ports one <c>multiport</c> match takes, a range counting two (the kernel's XT_MULTI_PORTS).</summary>
    internal const int MultiportLimit = 15;

    public static IReadOnlyList<FirewallCommand> Build(InitOptions options, Firewall firewall, NatState existing)
    {
        var commands = new List<FirewallCommand>();
        const string inbound = NatState.RedirectChain;
        commands.Add(firewall.Nat(existing.HasRedirectChain ? "-F" : "-N", inbound));
        foreach (var ports in Multiport(options.InboundPortsToIgnore))
        {
            commands.Add(Rule(inbound, ["-p", "tcp", "-m", "multiport", "--dports", ports], "ignore-inbound-ports", ["-j", "RETURN"]));
        }

        foreach (var subnet in options.SubnetsToIgnore)
        {
            commands.Add(Rule(inbound, ["-s", subnet.ToString()], "ignore-subnet", ["-j", "RETURN"]));
        }

        commands.Add(Rule(inbound, ["-p", "tcp"], "to-inbound-proxy-port", ["-j", "REDIRECT", "--to-ports", Port(options.IncomingProxyPort)]));
        if (!existing.HasPreroutingJump)
        {
            commands.Add(Rule("PREROUTING", [], "inbound", ["-j", inbound]));
        }

        const string outbound = NatState.OutputChain;
        commands.Add(firewall.Nat(existing.HasOutputChain ? "-F" : "-N", outbound));
        commands.Add(Rule(outbound, ["-m", "owner", "--uid-owner", options.ProxyUid.ToString(CultureInfo.InvariantCulture)], "ignore-proxy-uid", ["-j", "RETURN"]));
        commands.Add(Rule(outbound, ["-o", "lo"], "ignore-loopback", ["-j", "RETURN"]));
        foreach (var ports in Multiport(options.OutboundPortsToIgnore))
        {
            commands.Add(Rule(outbound, ["-p", "tcp", "-m", "multiport", "--dports", ports], "ignore-outbound-ports", ["-j", "RETURN"]));
        }

        foreach (var subnet in options.SubnetsToIgnore)
        {
            commands.Add(Rule(outbound, ["-d", subnet.ToString()], "ignore-subnet", ["-j", "RETURN"]));
        }

        commands.Add(Rule(outbound, ["-p", "tcp"], "to-outbound-proxy-port", ["-j", "REDIRECT", "--to-ports", Port(options.OutgoingProxyPort)]));
        if (!existing.HasOutputJump)
        {
            commands.Add(Rule("OUTPUT", [], "outbound", ["-j", outbound]));
        }

        return commands;

        // Matches, then the comment, then the target: the order iptables-save prints, so a logged rule reads as listed.
        FirewallCommand Rule(string chain, string[] match, string comment, string[] target) =>
            firewall.Nat(["-A", chain, .. match, "-m", "comment", "--comment", CommentPrefix + comment, .. target]);
    }

    /// <summary>Port lists for <c>--dports</c>, split so that none holds more than <see cref="MultiportLimit"/> ports.</summary>
    internal static IEnumerable<string> Multiport(IReadOnlyList<PortRange> ranges)
    {
        var batch = new List<string>();
        var used = 0;
        foreach (var range in ranges)
        {
            var cost = range.First == range.Last ? 1 : 2;
            if (used + cost > MultiportLimit)
            {
                yield return string.Join(',', batch);
                batch.Clear();
                used = 0;
            }

            batch.Add(range.ToIptables());
            used += cost;
        }

        if (batch.Count > 0)
        {
            yield return string.Join(',', batch);
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
