using Dashboard.Contracts.Metrics;

namespace Dashboard.Model;

/// <summary>
/// One edge of a resource's traffic as its proxies secured it: who called whom, the identities each side proved,
/// and, when the requests went in plaintext, why (Linkerd's <c>no_tls_reason</c>).
/// </summary>
/// <param name="Source">The caller; null for clients outside the mesh, which have no workload the metrics name.</param>
/// <param name="Destination">The callee; null when the destination is no resource discovery knows.</param>
/// <param name="ClientId">The identity the caller presented (mTLS only).</param>
/// <param name="ServerId">The identity the callee proved to the caller (mTLS only).</param>
/// <param name="Tls">The <c>tls</c> label: <c>true</c>, <c>no_identity</c> or <c>disabled</c>.</param>
/// <param name="NoTlsReason">The <c>no_tls_reason</c> label when not <c>true</c>.</param>
/// <param name="Requests">Requests over the edge in the window.</param>
public sealed record TlsEdge(
    ResourceKey? Source, ResourceKey? Destination, string? ClientId, string? ServerId, string Tls, string? NoTlsReason, double Requests)
{
    public bool Secured => Tls == LabelNames.Values.TlsTrue;

    /// <summary>Why the edge is not secured, in the metrics' own words; null when it is.</summary>
    public string? Reason => Secured ? null : ReasonOf(Tls, NoTlsReason);

    /// <summary>Why requests labelled <paramref name="tls"/> and <paramref name="noTlsReason"/> were not mTLS, in the metrics' own words.</summary>
    public static string ReasonOf(string tls, string? noTlsReason) =>
        noTlsReason is { Length: > 0 } reason ? reason
        : tls == LabelNames.Values.TlsDisabled ? "identity_disabled" : tls;
}
