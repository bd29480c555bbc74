using V = Dashboard.Contracts.Metrics.LabelNames.Values;

namespace Dashboard.Proxy.Metrics;

/// <summary>
/// The values of <c>tls</c>, <c>no_tls_reason</c>, <c>client_id</c> and <c>server_id</c> of one series, as
/// linkerd2-proxy writes them: <c>disabled</c> when the proxy has no identity, <c>true</c> with the peer's
/// identity for mTLS, else <c>no_identity</c> with the reason.
/// </summary>
public sealed record TlsLabels(string Tls, string NoTlsReason, string ClientId, string ServerId)
{
    public static TlsLabels Disabled { get; } = new(V.TlsDisabled, "", "", "");

    /// <summary>Inbound plaintext: the client did not start TLS (an unmeshed caller).</summary>
    public static TlsLabels NoTlsFromRemote { get; } = new(V.TlsNoIdentity, V.NoTlsFromRemote, "", "");

    /// <summary>Outbound plaintext: discovery knows no identity for the destination (unmeshed, or not a known service).</summary>
    public static TlsLabels NotProvidedByServiceDiscovery { get; } = new(V.TlsNoIdentity, V.NotProvidedByServiceDiscovery, "", "");

    /// <summary>The hops between the proxy and its own application.</summary>
    public static TlsLabels Loopback { get; } = new(V.TlsNoIdentity, V.Loopback, "", "");

    public bool IsTls => Tls == V.TlsTrue;

    public static TlsLabels FromClient(string clientId) => new(V.TlsTrue, "", clientId, "");

    public static TlsLabels ToServer(string serverId) => new(V.TlsTrue, "", "", serverId);

    /// <summary>The reason as tap shows it, or null for mTLS and disabled.</summary>
    public string? Reason => NoTlsReason.Length == 0 ? null : NoTlsReason;
}
