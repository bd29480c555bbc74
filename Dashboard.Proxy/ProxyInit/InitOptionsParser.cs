using System.Globalization;
using System.Net;
using Dashboard.Contracts.Proxy;

namespace Dashboard.Proxy.ProxyInit;

/// <summary>
/// Reads <see cref="InitOptions"/> from the init verb's arguments (<c>--flag value</c> or <c>--flag=value</c>). Every
/// problem is collected; each message names the flag, the value given and what was expected.
/// </summary>
public static class InitOptionsParser
{
    /// <summary>The binaries <see cref="ProxyInitFlags.FirewallBinPath"/> may name; each has its <c>-save</c> sibling.</summary>
    public static readonly IReadOnlyList<string> FirewallBinaries = ["iptables", "iptables-legacy", "iptables-nft"];

    private static readonly string[] ValueFlags =
    [
        ProxyInitFlags.IncomingProxyPort, ProxyInitFlags.OutgoingProxyPort, ProxyInitFlags.ProxyUid, ProxyInitFlags.InboundPortsToIgnore,
        ProxyInitFlags.OutboundPortsToIgnore, ProxyInitFlags.SubnetsToIgnore, ProxyInitFlags.FirewallBinPath,
    ];

    public static (InitOptions? Options, IReadOnlyList<string> Errors) Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var dryRun = false;
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = args[i].IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (args[i][..eq], args[i][(eq + 1)..]) : (args[i], null);
            if (flag == ProxyInitFlags.DryRun && inline is null)
            {
                dryRun = true;
            }
            else if (!ValueFlags.Contains(flag))
            {
                errors.Add($"unknown argument '{args[i]}'; init takes {string.Join(", ", ValueFlags)} (each with a value) and {ProxyInitFlags.DryRun}");
            }
            else if ((inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null)) is not { } value)
            {
                errors.Add($"{flag} needs a value");
            }
            else if (!values.TryAdd(flag, value))
            {
                errors.Add($"{flag} is given twice ('{values[flag]}' and '{value}'); give it once, lists comma-separated");
            }
        }

        var defaults = new InitOptions();
        var options = defaults with
        {
            IncomingProxyPort = Port(ProxyInitFlags.IncomingProxyPort, defaults.IncomingProxyPort),
            OutgoingProxyPort = Port(ProxyInitFlags.OutgoingProxyPort, defaults.OutgoingProxyPort),
            ProxyUid = Uid(defaults.ProxyUid),
            InboundPortsToIgnore = Ports(ProxyInitFlags.InboundPortsToIgnore, defaults.InboundPortsToIgnore),
            OutboundPortsToIgnore = Ports(ProxyInitFlags.OutboundPortsToIgnore, defaults.OutboundPortsToIgnore),
            SubnetsToIgnore = Subnets(),
            FirewallBinPath = FirewallBin(),
            DryRun = dryRun,
        };
        if (values.ContainsKey(ProxyInitFlags.IncomingProxyPort) || values.ContainsKey(ProxyInitFlags.OutgoingProxyPort))
        {
            if (options.IncomingProxyPort == options.OutgoingProxyPort)
            {
                errors.Add($"{ProxyInitFlags.IncomingProxyPort} and {ProxyInitFlags.OutgoingProxyPort} are both {options.IncomingProxyPort}; expected the proxy's two different listener ports, e.g. 4143 and 4140");
            }
        }

        return errors.Count > 0 ? (null, errors) : (options, errors);

        int Port(string flag, int fallback)
        {
            if (!values.TryGetValue(flag, out var text))
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
            {
                return port;
            }

            errors.Add($"{flag}: '{text}' is not a port; expected a port from 1 to 65535, e.g. {fallback}");
            return fallback;
        }

        long Uid(long fallback)
        {
            if (!values.TryGetValue(ProxyInitFlags.ProxyUid, out var text))
            {
                return fallback;
            }

            // 4294967295 is (uid_t)-1, "no user"; 0 is root, whose connections (the app's, often) must not bypass the proxy.
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && uid is > 0 and < uint.MaxValue)
            {
                return uid;
            }

            errors.Add($"{ProxyInitFlags.ProxyUid}: '{text}' is not a user ID for the proxy; expected a non-root UID from 1 to 4294967294, e.g. {fallback}");
            return fallback;
        }

        IReadOnlyList<PortRange> Ports(string flag, IReadOnlyList<PortRange> fallback)
        {
            if (!values.TryGetValue(flag, out var text))
            {
                return fallback;
            }

            if (PortRange.TryParseList(text, out var ranges, out var error))
            {
                return ranges;
            }

            errors.Add($"{flag}: {error}");
            return fallback;
        }

        IReadOnlyList<IPNetwork> Subnets()
        {
            if (!values.TryGetValue(ProxyInitFlags.SubnetsToIgnore, out var text))
            {
                return [];
            }

            if (Ipv4Networks.TryParseList(text, out var subnets, out var error))
            {
                return subnets;
            }

            errors.Add($"{ProxyInitFlags.SubnetsToIgnore}: {error}");
            return [];
        }

        string? FirewallBin()
        {
            if (!values.TryGetValue(ProxyInitFlags.FirewallBinPath, out var path))
            {
                return null;
            }

            if (FirewallBinaries.Contains(Path.GetFileName(path)))
            {
                return path;
            }

            errors.Add($"{ProxyInitFlags.FirewallBinPath}: '{path}' is not an iptables binary; expected {string.Join(", ", FirewallBinaries)}, by name or by path (e.g. /usr/sbin/iptables-nft)");
            return null;
        }
    }
}
