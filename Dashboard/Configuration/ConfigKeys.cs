namespace Dashboard.Configuration;

/// <summary>
/// Every configuration key the dashboard reads, spelled as in appsettings.json and on the command
/// line (<c>--Dashboard:Prometheus:Url=…</c>); environment variables replace ':' with "__"
/// (<c>Dashboard__Prometheus__Url</c>). Binding and error messages both use these constants, so a
/// message always names the key a user can set.
/// </summary>
public static class ConfigKeys
{
    public const string Section = "Dashboard";

    public const string PrometheusUrl = "Dashboard:Prometheus:Url";
    public const string PrometheusScrapeInterval = "Dashboard:Prometheus:ScrapeInterval";
    public const string PrometheusTimeout = "Dashboard:Prometheus:Timeout";

    /// <summary>The three Kubernetes sources; exactly one may be set (none means the default URL).</summary>
    public const string Kubernetes = "Dashboard:Kubernetes";
    public const string KubernetesUrl = "Dashboard:Kubernetes:Url";
    public const string KubernetesKubeconfig = "Dashboard:Kubernetes:Kubeconfig";
    public const string KubernetesInCluster = "Dashboard:Kubernetes:InCluster";

    public const string GrafanaUrl = "Dashboard:Grafana:Url";
    public const string GrafanaProxy = "Dashboard:Grafana:Proxy";

    public const string RefreshInterval = "Dashboard:RefreshInterval";

    /// <summary>A list (<c>Dashboard:AllowedHosts:0</c>, <c>:1</c>, …) or one value separated by ';'.</summary>
    public const string AllowedHosts = "Dashboard:AllowedHosts";

    public const string PathBase = "Dashboard:PathBase";
    public const string TapToken = "Dashboard:Tap:Token";

    /// <summary>
    /// The dashboard's mesh identity in a cluster, with which it taps the proxies over mesh TLS instead of with a token:
    /// the trust anchors (PEM) turn it on; the others mean what the proxy's <c>MESH_PROXY_IDENTITY_*</c> variables do.
    /// </summary>
    public const string IdentityTrustAnchors = "Dashboard:Identity:TrustAnchors";
    public const string IdentityLocalName = "Dashboard:Identity:LocalName";
    public const string IdentityServiceAddress = "Dashboard:Identity:ServiceAddress";
    public const string IdentityServiceName = "Dashboard:Identity:ServiceName";
    public const string IdentityTokenFile = "Dashboard:Identity:TokenFile";

    /// <summary>
    /// When an investigation's point (or a pod against its siblings) deviates: the three thresholds of latencies and of
    /// failure rates (<see cref="Investigation.DeviationThresholds"/>), and the requests a point needs to be judged.
    /// </summary>
    public const string InvestigationLatencySigmas = "Dashboard:Investigation:LatencySigmas";
    public const string InvestigationLatencyFactor = "Dashboard:Investigation:LatencyFactor";
    public const string InvestigationLatencyAbsoluteMs = "Dashboard:Investigation:LatencyAbsoluteMs";
    public const string InvestigationFailureSigmas = "Dashboard:Investigation:FailureSigmas";
    public const string InvestigationFailureFactor = "Dashboard:Investigation:FailureFactor";
    public const string InvestigationFailureAbsolute = "Dashboard:Investigation:FailureAbsolute";
    public const string InvestigationMinRequests = "Dashboard:Investigation:MinRequests";

    /// <summary>How far back resource pages' spike panels and tables' badges look (<c>15m</c> by default).</summary>
    public const string InvestigationLookback = "Dashboard:Investigation:Lookback";

    /// <summary>The environment variable that sets <paramref name="key"/>, e.g. <c>Dashboard__Prometheus__Url</c>.</summary>
    public static string EnvironmentVariable(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Replace(":", "__", StringComparison.Ordinal);
    }
}
