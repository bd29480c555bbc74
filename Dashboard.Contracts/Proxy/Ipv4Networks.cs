using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Dashboard.Contracts.Proxy;

/// <summary>
/// Comma-separated IPv4 networks, written <c>10.96.0.0/12,192.168.1.7</c>, as the init container's
/// <c>--subnets-to-ignore</c> and the annotation <c>config.linkerd.io/skip-subnets</c> take them.
/// </summary>
public static class Ipv4Networks
{
    /// <summary>
    /// Parses a list (blank entries are skipped, so an empty list is valid). An address alone is a /32; an address with
    /// host bits set (10.1.2.3/8) means its network (10.0.0.0/8), as iptables reads it. The error names the entry that
    /// is wrong and what was expected.
    /// </summary>
    public static bool TryParseList(string text, out IReadOnlyList<IPNetwork> networks, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parsed = new List<IPNetwork>();
        networks = parsed;
        error = null;
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Parse(entry) is not { } network)
            {
                error = $"'{entry}' is not an IPv4 network; expected ADDRESS/PREFIX, e.g. 10.96.0.0/12 (init installs IPv4 rules only)";
                return false;
            }

            parsed.Add(network);
        }

        return true;
    }

    private static IPNetwork? Parse(string text)
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
