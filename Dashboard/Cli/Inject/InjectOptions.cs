namespace Dashboard.Cli.Inject;

/// <param name="ProxyImage">The proxy's image without its tag, e.g. <c>dashboard/proxy</c>.</param>
/// <param name="ProxyVersion">The image tag, and the version annotation: the CLI's version unless told otherwise.</param>
/// <param name="ControlPlaneNamespace">The value of the meshed label <c>linkerd.io/control-plane-ns</c>.</param>
public sealed record InjectOptions(string ProxyImage, string ProxyVersion, string ControlPlaneNamespace)
{
    public const string DefaultProxyImage = "dashboard/proxy";
}
