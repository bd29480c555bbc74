using System.Globalization;

namespace Dashboard.Contracts.Proxy;

/// <summary>
/// A port or an inclusive range of ports, written <c>3306</c> or <c>9000-9100</c>, in comma-separated lists such as
/// <c>config.linkerd.io/skip-inbound-ports: "25,3306,9000-9100"</c> and the init container's ignore flags.
/// </summary>
public readonly record struct PortRange(int First, int Last)
{
    /// <summary>The form iptables' <c>multiport</c> match takes: <c>3306</c> or <c>9000:9100</c>.</summary>
    public string ToIptables() => First == Last ? Format(First) : $"{Format(First)}:{Format(Last)}";

    public bool Contains(int port) => port >= First && port <= Last;

    /// <summary>Whether any of <paramref name="ranges"/> contains <paramref name="port"/>.</summary>
    public static bool AnyContains(IReadOnlyList<PortRange> ranges, int port)
    {
        foreach (var range in ranges)
        {
            if (range.Contains(port))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => First == Last ? Format(First) : $"{Format(First)}-{Format(Last)}";

    /// <summary>
    /// Parses a comma-separated list (blank entries are skipped, so an empty list is valid). The error names the entry
    /// that is wrong and what was expected.
    /// </summary>
    public static bool TryParseList(string text, out IReadOnlyList<PortRange> ranges, out string? error)
    {
        var parsed = new List<PortRange>();
        ranges = parsed;
        error = null;
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = entry.IndexOf('-', StringComparison.Ordinal);
            var first = dash < 0 ? entry : entry[..dash];
            var last = dash < 0 ? entry : entry[(dash + 1)..];
            if (!TryParsePort(first, out var low) || !TryParsePort(last, out var high))
            {
                error = $"'{entry}' is not a port or a range of ports; expected a port from 1 to 65535 or LOW-HIGH, e.g. 3306 or 9000-9100";
                return false;
            }

            if (high < low)
            {
                error = $"'{entry}' is an empty range; expected LOW-HIGH with LOW <= HIGH";
                return false;
            }

            parsed.Add(new PortRange(low, high));
        }

        return true;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;

    private static string Format(int port) => port.ToString(CultureInfo.InvariantCulture);
}
