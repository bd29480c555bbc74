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
        Chain(NatState.RedirectChain, existing.HasRedirectChain, "PREROUTING", existing.HasPreroutingJump, "inbound", [],
            options.InboundPortsToIgnore, "-s", options.IncomingProxyPort);
        Chain(NatState.OutputChain, existing.HasOutputChain, "OUTPUT", existing.HasOutputJump, "outbound",
            [
                (["-m", "owner", "--uid-owner", options.ProxyUid.ToString(CultureInfo.InvariantCulture)], "ignore-proxy-uid"),
                (["-o", "lo"], "ignore-loopback"),
            ],
            options.OutboundPortsToIgnore, "-d", options.OutgoingProxyPort);
        return commands;

        // Exemptions return first; what is left of TCP is redirected to the proxy's port.
        void Chain(string chain, bool exists, string from, bool jumpedTo, string direction, (string[] Match, string Comment)[] exemptions,
            IReadOnlyList<PortRange> ignoredPorts, string subnetMatch, int proxyPort)
        {
            commands.Add(firewall.Nat(exists ? "-F" : "-N", chain));
            foreach (var (match, comment) in exemptions)
            {
                commands.Add(Rule(chain, match, comment, ["-j", "RETURN"]));
            }

            foreach (var ports in Multiport(ignoredPorts))
            {
                commands.Add(Rule(chain, ["-p", "tcp", "-m", "multiport", "--dports", ports], $"ignore-{direction}-ports", ["-j", "RETURN"]));
            }

            foreach (var subnet in options.SubnetsToIgnore)
            {
                commands.Add(Rule(chain, [subnetMatch, subnet.ToString()], "ignore-subnet", ["-j", "RETURN"]));
            }

            commands.Add(Rule(chain, ["-p", "tcp"], $"to-{direction}-proxy-port", ["-j", "REDIRECT", "--to-ports", proxyPort.ToString(CultureInfo.InvariantCulture)]));
            if (!jumpedTo)
            {
                commands.Add(Rule(from, [], direction, ["-j", chain]));
            }
        }

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
}
