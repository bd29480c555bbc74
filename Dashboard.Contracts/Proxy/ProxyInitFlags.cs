namespace Dashboard.Contracts.Proxy;

/// <summary>
/// The flags of <c>Dashboard.Proxy init</c>, the init container that redirects a pod's TCP traffic through its proxy
/// (read by the init verb; written by <c>inject</c>). Names and meanings follow Linkerd's proxy-init.
/// </summary>
public static class ProxyInitFlags
{
    /// <summary>The proxy image's first argument that runs the init container's verb instead of the proxy.</summary>
    public const string Verb = "init";

    public const string IncomingProxyPort = "--incoming-proxy-port";
    public const string OutgoingProxyPort = "--outgoing-proxy-port";
    public const string ProxyUid = "--proxy-uid";
    public const string InboundPortsToIgnore = "--inbound-ports-to-ignore";
    public const string OutboundPortsToIgnore = "--outbound-ports-to-ignore";
    public const string SubnetsToIgnore = "--subnets-to-ignore";
    public const string FirewallBinPath = "--firewall-bin-path";
    public const string DryRun = "--dry-run";

    public const int DefaultIncomingProxyPort = 4143;
    public const int DefaultOutgoingProxyPort = 4140;

    /// <summary>The user the proxy container runs as; its own connections are never redirected.</summary>
    public const int DefaultProxyUid = 2102;

    /// <summary>The proxy's tap (4190) and admin (4191) ports, which must reach the proxy, not its inbound port.</summary>
    public const string DefaultInboundPortsToIgnore = "4190,4191";
}
