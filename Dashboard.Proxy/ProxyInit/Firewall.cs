namespace Dashboard.Proxy.ProxyInit;

/// <summary>An iptables variant: the binary that changes rules and its <c>-save</c> sibling that lists them; <paramref name="Reason"/> says why it was chosen.</summary>
public sealed record Firewall(string Bin, string SaveBin, string Reason)
{
    /// <summary>The variant named by <c>--firewall-bin-path</c> (a name on PATH or a path); its save binary sits beside it.</summary>
    public static Firewall Named(string binPath) => new(binPath, binPath + "-save", "given by --firewall-bin-path");

    public FirewallCommand Save(params string[] arguments) => new(SaveBin, arguments);

    public FirewallCommand Nat(params string[] arguments) => new(Bin, ["-t", "nat", .. arguments]);
}
