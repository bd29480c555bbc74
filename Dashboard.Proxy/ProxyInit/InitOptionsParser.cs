using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
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

            var subnets = new List<IPNetwork>();
            foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (ParseSubnet(entry) is { } subnet)
                {
                    subnets.Add(subnet);
                }
                else
                {
                    errors.Add($"{ProxyInitFlags.SubnetsToIgnore}: '{entry}' is not an IPv4 network; expected ADDRESS/PREFIX, e.g. 10.96.0.0/12 (init installs IPv4 rules only)");
                }
            }

            return subnets;
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

    /// <summary>An IPv4 network; an address with host bits set (10.1.2.3/8) means its network (10.0.0.0/8), as iptables reads it.</summary>
    private static IPNetwork? ParseSubnet(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var prefix = 32;
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork ||
            (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 32)))
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        BinaryPrimitives.WriteUInt32BigEndian(bytes, BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask);
        return new IPNetwork(new IPAddress(bytes), prefix);
    }
}
