namespace Dashboard.Proxy.ProxyInit;

/// <summary>How an iptables command ended.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>
    /// iptables' answer when the caller lacks CAP_NET_ADMIN, from both backends: "Permission denied (you must be root)"
    /// (nf_tables: "Could not fetch rule set generation id: …"; legacy: "can't initialize iptables table `nat': …").
    /// </summary>
    public bool PermissionDenied => StandardError.Contains("Permission denied", StringComparison.Ordinal);

    /// <summary>What the command said, on one line, for an error message.</summary>
    public string Said => string.Join(" ", (StandardError + "\n" + StandardOutput).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
