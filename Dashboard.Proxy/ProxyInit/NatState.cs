namespace Dashboard.Proxy.ProxyInit;

/// <summary>
/// The chains init owns in the <c>nat</c> table, and which of them (and of the jumps into them) a network namespace already
/// has, read from <c>iptables-save -t nat</c>: a second run flushes and refills them instead of adding a second set.
/// </summary>
public sealed record NatState(bool HasRedirectChain, bool HasOutputChain, bool HasPreroutingJump, bool HasOutputJump)
{
    /// <summary>Inbound: entered from PREROUTING. The names are Linkerd's, so a pod reads the same whichever mesh set it up.</summary>
    public const string RedirectChain = "PROXY_INIT_REDIRECT";

    /// <summary>Outbound: entered from OUTPUT.</summary>
    public const string OutputChain = "PROXY_INIT_OUTPUT";

    public static readonly NatState Empty = new(false, false, false, false);

    public static NatState Parse(string iptablesSave)
    {
        var lines = iptablesSave.Split('\n', StringSplitOptions.TrimEntries);
        return new NatState(
            HasChain(RedirectChain),
            HasChain(OutputChain),
            lines.Any(l => IsJump(l, "PREROUTING", RedirectChain)),
            lines.Any(l => IsJump(l, "OUTPUT", OutputChain)));

        bool HasChain(string chain) => lines.Any(l => l.StartsWith($":{chain} ", StringComparison.Ordinal));
    }

    private static bool IsJump(string line, string from, string to)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is not ["-A", var chain, ..] || chain != from)
        {
            return false;
        }

        var jump = Array.IndexOf(words, "-j");
        return jump > 0 && jump + 1 < words.Length && words[jump + 1] == to;
    }
}
