using Dashboard.Configuration;

namespace Dashboard.Cli;

/// <summary>
/// Names of the control plane in a cluster, shared by <c>check</c>, <c>open</c>, <c>version</c> and (later) <c>install</c>,
/// whose manifests must create exactly these.
/// </summary>
public static class ControlPlane
{
    /// <summary>
    /// The namespace <c>install</c> creates (docker/kubernetes/00-namespace.yaml), Linkerd's: the bundled fleet's
    /// meshed pods name it too. <c>-L</c> chooses another.
    /// </summary>
    public const string DefaultNamespace = "linkerd";

    /// <summary>The dashboard's Deployment and Service (its Service name is also in the default allowed hosts).</summary>
    public const string DashboardName = DashboardOptionsParser.ServiceName;

    /// <summary>Prometheus' Deployment and Service, unless the user brings their own (<c>--prometheus</c>).</summary>
    public const string PrometheusName = "prometheus";

    /// <summary>The destination service's Deployment, Linkerd's name (proxies ask it where their destinations are).</summary>
    public const string DestinationName = Contracts.Destination.DestinationEnvironment.ServiceName;

    /// <summary>The sidecar's container name, Linkerd's (the bundled fleet's pods use it too).</summary>
    public const string ProxyContainer = "linkerd-proxy";

    /// <summary>The port <c>open</c> forwards the dashboard to on this machine (Linkerd's viz dashboard port).</summary>
    public const int DefaultOpenPort = 50750;
}
