using System.Net;
using Dashboard.Contracts.Proxy;

namespace Dashboard.Proxy.ProxyInit;

/// <summary>What <c>Dashboard.Proxy init</c> installs, from its flags (<see cref="InitOptionsParser"/>; names in <see cref="ProxyInitFlags"/>).</summary>
public sealed record InitOptions
{
    public int IncomingProxyPort { get; init; } = ProxyInitFlags.DefaultIncomingProxyPort;

    public int OutgoingProxyPort { get; init; } = ProxyInitFlags.DefaultOutgoingProxyPort;

    public long ProxyUid { get; init; } = ProxyInitFlags.DefaultProxyUid;

    /// <summary>Inbound ports that reach the pod directly; a list given replaces the default (the proxy's tap and admin ports).</summary>
    public IReadOnlyList<PortRange> InboundPortsToIgnore { get; init; } = [new(4190, 4190), new(4191, 4191)];

    public IReadOnlyList<PortRange> OutboundPortsToIgnore { get; init; } = [];

    /// <summary>IPv4 networks whose traffic bypasses the proxy both ways: connections to them and from them.</summary>
    public IReadOnlyList<IPNetwork> SubnetsToIgnore { get; init; } = [];

    /// <summary>The iptables to use (<c>iptables</c>, <c>iptables-legacy</c>, <c>iptables-nft</c>, by name or path); null: detected.</summary>
    public string? FirewallBinPath { get; init; }

    public bool DryRun { get; init; }
}
