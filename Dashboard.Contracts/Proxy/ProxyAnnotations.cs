namespace Dashboard.Contracts.Proxy;

/// <summary>
/// Linkerd's pod annotations that configure how a meshed pod's traffic reaches its proxy. <c>inject</c> reads them from
/// the pod template and turns them into the init container's flags (<see cref="ProxyInitFlags"/>) and the proxy's
/// environment (<see cref="ProxyEnvironment"/>); each value is a list that <see cref="PortRange"/> or
/// <see cref="Ipv4Networks"/> reads.
/// </summary>
public static class ProxyAnnotations
{
    /// <summary>Inbound ports that reach the app directly, not through the proxy (<see cref="ProxyInitFlags.InboundPortsToIgnore"/>).</summary>
    public const string SkipInboundPorts = "config.linkerd.io/skip-inbound-ports";

    /// <summary>Destination ports the pod connects to directly (<see cref="ProxyInitFlags.OutboundPortsToIgnore"/>).</summary>
    public const string SkipOutboundPorts = "config.linkerd.io/skip-outbound-ports";

    /// <summary>IPv4 networks whose traffic bypasses the proxy both ways (<see cref="ProxyInitFlags.SubnetsToIgnore"/>).</summary>
    public const string SkipSubnets = "config.linkerd.io/skip-subnets";

    /// <summary>Ports whose connections are forwarded as opaque TCP, without protocol detection (<see cref="ProxyEnvironment.InboundOpaquePorts"/>).</summary>
    public const string OpaquePorts = "config.linkerd.io/opaque-ports";
}
