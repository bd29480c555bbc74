using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Hosting;

namespace Dashboard.Proxy.ProxyInit;

/// <summary>
/// <c>Dashboard.Proxy init</c>: the init container of a meshed pod. In the pod's network namespace it installs the NAT rules
/// of <see cref="RedirectRules"/>, logging each command; a second run leaves one set of rules.
/// </summary>
public static class InitProgram
{
    public static string Usage { get; } = "usage: Dashboard.Proxy init [flags]   redirect this network namespace's TCP traffic through the proxy (needs NET_ADMIN)\n" +
        string.Join('\n', new (string Flag, string Help)[]
        {
            ($"{ProxyInitFlags.IncomingProxyPort} PORT", "the proxy's inbound port (4143)"),
            ($"{ProxyInitFlags.OutgoingProxyPort} PORT", "the proxy's outbound port (4140)"),
            ($"{ProxyInitFlags.ProxyUid} UID", "the proxy's user; its connections are not redirected (2102)"),
            ($"{ProxyInitFlags.InboundPortsToIgnore} PORTS", "inbound ports that reach the app directly, e.g. 4190,4191,9000-9100 (4190,4191: the proxy's tap and admin)"),
            ($"{ProxyInitFlags.OutboundPortsToIgnore} PORTS", "outbound ports that are not redirected (none)"),
            ($"{ProxyInitFlags.SubnetsToIgnore} CIDRS", "networks whose traffic bypasses the proxy both ways, e.g. 10.0.0.0/8 (none)"),
            ($"{ProxyInitFlags.FirewallBinPath} BIN", "iptables, iptables-legacy or iptables-nft (default: the backend already holding rules, else nft)"),
            (ProxyInitFlags.DryRun, "print every command it would run; change nothing"),
        }.Select(f => $"  {f.Flag,-34} {f.Help}"));

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (args is ["-h" or "--help" or "help"])
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var (options, errors) = InitOptionsParser.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("init: invalid flags:\n  " + string.Join("\n  ", errors) + "\n\n" + Usage);
            return ProxyExitCodes.BadConfiguration;
        }

        return options.DryRun ? await DryRunAsync(options) : await InstallAsync(options, cancellationToken);
    }

    private static async Task<int> DryRunAsync(InitOptions options)
    {
        var (firewall, missing) = options.FirewallBinPath is { } bin ? (Firewall.Named(bin), null) : await FirewallDetector.DetectAsync(FirewallDetector.Find, run: null);
        firewall ??= new Firewall("iptables", "iptables-save", "");
        Console.WriteLine($"# dry run: nothing is run. {(missing is null ? $"{firewall.Bin}: {firewall.Reason}" : missing)}");
        Console.WriteLine("# as in a namespace without these rules; when they exist, -N becomes -F and the jumps from PREROUTING and OUTPUT are kept");
        Console.WriteLine(firewall.Save("-t", "nat"));
        foreach (var command in RedirectRules.Build(options, firewall, NatState.Empty))
        {
            Console.WriteLine(command);
        }

        return 0;
    }

    private static async Task<int> InstallAsync(InitOptions options, CancellationToken cancellationToken)
    {
        Task<CommandResult> Run(FirewallCommand command) => CommandRunner.RunAsync(command, cancellationToken);

        var (firewall, error) = options.FirewallBinPath is { } path ? Locate(Firewall.Named(path)) : await FirewallDetector.DetectAsync(FirewallDetector.Find, Run);
        if (firewall is null)
        {
            return await FailAsync(error!);
        }

        Console.WriteLine($"init: using {firewall.Bin} ({firewall.Reason})");
        var save = firewall.Save("-t", "nat");
        var listing = await Run(save);
        if (!listing.Succeeded)
        {
            return await FailAsync(listing.PermissionDenied ? InitErrors.NotPermitted(save, listing) : InitErrors.Failed(save, listing));
        }

        var existing = NatState.Parse(listing.StandardOutput);
        if (existing != NatState.Empty)
        {
            Console.WriteLine($"init: found rules of an earlier run: flushing {NatState.RedirectChain} and {NatState.OutputChain} and filling them again");
        }

        foreach (var command in RedirectRules.Build(options, firewall, existing))
        {
            Console.WriteLine($"init: {command}");
            var result = await Run(command);
            if (!result.Succeeded)
            {
                return await FailAsync(result.PermissionDenied ? InitErrors.NotPermitted(command, result) : InitErrors.Failed(command, result));
            }
        }

        Console.WriteLine($"init: done: inbound TCP to port {options.IncomingProxyPort}, outbound TCP to port {options.OutgoingProxyPort}, except UID {options.ProxyUid}'s");
        return 0;
    }

    /// <summary>The named variant where it is installed (also in /usr/sbin when PATH lacks it), or why it cannot be used.</summary>
    private static (Firewall? Firewall, string? Error) Locate(Firewall named) =>
        FirewallDetector.Find(named.Bin) is { } bin && FirewallDetector.Find(named.SaveBin) is { } save
            ? (named with { Bin = bin, SaveBin = save }, null)
            : (null, $"{ProxyInitFlags.FirewallBinPath}: '{named.Bin}' (and its {Path.GetFileName(named.SaveBin)}) not found; is iptables installed?");

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"init: {message}");
        return ProxyExitCodes.StartFailed;
    }
}
