namespace Dashboard.Proxy.ProxyInit;

/// <summary>
/// Chooses between iptables-nft and iptables-legacy when <c>--firewall-bin-path</c> is not given. Rules of the two backends
/// do not see each other, so init uses the one that already holds rules in this network namespace (the one a CNI plugin
/// or the runtime used), the one with more when both do (as Kubernetes' iptables-wrapper decides), and nf_tables, the
/// kernel's current backend, when neither does; the plain <c>iptables</c> when it is the only one installed.
/// </summary>
public static class FirewallDetector
{
    /// <summary>Where iptables lives on Debian when PATH lacks the sbin directories (a non-root shell).</summary>
    private static readonly string[] SbinDirectories = ["/usr/sbin", "/sbin"];

    /// <summary>
    /// The variant to use, or an error saying what is missing. <paramref name="find"/> locates a command (<see cref="Find"/>);
    /// <paramref name="run"/> lists rules to compare the backends; without it (a dry run) nothing is run and the first
    /// installed variant is taken.
    /// </summary>
    public static async Task<(Firewall? Firewall, string? Error)> DetectAsync(Func<string, string?> find, Func<FirewallCommand, Task<CommandResult>>? run)
    {
        var installed = new List<Firewall>();
        foreach (var name in (string[])["iptables-nft", "iptables-legacy"])
        {
            if (find(name) is { } bin && find(name + "-save") is { } save)
            {
                installed.Add(new Firewall(bin, save, ""));
            }
        }

        if (installed.Count == 0)
        {
            return find("iptables") is { } plain && find("iptables-save") is { } plainSave
                ? (new Firewall(plain, plainSave, "the only iptables installed"), null)
                : (null, "iptables not found: looked for iptables-nft, iptables-legacy and iptables on PATH and in /usr/sbin, /sbin. " +
                    "The proxy image carries Debian's iptables; elsewhere install it (apt-get install iptables) or pass --firewall-bin-path");
        }

        if (installed.Count == 1 || run is null)
        {
            return (installed[0] with { Reason = installed.Count == 1 ? "the only backend installed" : "the first installed (a dry run lists no rules to compare)" }, null);
        }

        var counts = new List<int>();
        foreach (var firewall in installed)
        {
            var listing = await run(firewall.Save());
            if (listing.PermissionDenied)
            {
                return (null, InitErrors.NotPermitted(firewall.Save(), listing));
            }

            // A backend the kernel lacks cannot list: it holds no rules here.
            counts.Add(listing.Succeeded ? listing.StandardOutput.Split('\n').Count(l => l.StartsWith("-A ", StringComparison.Ordinal)) : -1);
        }

        var best = counts[1] > counts[0] ? 1 : 0;
        var other = Path.GetFileName(installed[1 - best].Bin);
        var reason = counts[best] switch
        {
            < 0 => "neither backend can list rules here",
            0 when counts[1 - best] < 0 => $"{other} cannot list rules here",
            0 => "no rules in either backend yet; nf_tables is the kernel's current one",
            _ => $"it holds {counts[best]} rules here, {other} {Math.Max(0, counts[1 - best])}",
        };
        return (installed[best] with { Reason = reason }, null);
    }

    /// <summary>The file a command name runs: a path as given, a name looked up on PATH, then in the sbin directories.</summary>
    public static string? Find(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return path.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
            ?? SbinDirectories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
