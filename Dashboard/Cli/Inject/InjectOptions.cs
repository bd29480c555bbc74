namespace Dashboard.Cli.Inject;

/// <param name="ProxyImage">The proxy's image without its tag, e.g. <c>dashboard/proxy</c>.</param>
/// <param name="ProxyVersion">The image tag, and the version annotation: the CLI's version unless told otherwise.</param>
/// <param name="ControlPlaneNamespace">The value of the meshed label <c>linkerd.io/control-plane-ns</c>, and where the identity endpoint runs.</param>
/// <param name="TrustAnchorsPem">The mesh's trust anchors, written into each proxy's environment; null runs the proxies without identity (no mTLS).</param>
public sealed record InjectOptions(string ProxyImage, string ProxyVersion, string ControlPlaneNamespace, string? TrustAnchorsPem = null)
{
    /// <summary>Add no init container: the cluster sends the pods' traffic to their proxies another way (as Linkerd's CNI plugin does).</summary>
    public bool ManualRedirect { get; init; }

    public const string DefaultProxyImage = "dashboard/proxy";
}
