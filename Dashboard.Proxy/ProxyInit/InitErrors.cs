namespace Dashboard.Proxy.ProxyInit;

/// <summary>The messages init stops with when iptables refuses it.</summary>
public static class InitErrors
{
    public static string NotPermitted(FirewallCommand command, CommandResult result) =>
        $"not permitted to change this network namespace's iptables rules: the init container needs the NET_ADMIN capability " +
        $"(securityContext.capabilities.add: [NET_ADMIN, NET_RAW]). {command.File} said: {result.Said}";

    public static string Failed(FirewallCommand command, CommandResult result) =>
        $"'{command}' failed (exit code {result.ExitCode}): {result.Said}";
}
