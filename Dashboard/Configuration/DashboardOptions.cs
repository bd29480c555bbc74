namespace Dashboard.Configuration;

/// <summary>
/// The dashboard's configuration as written (section <see cref="ConfigKeys.Section"/>). Values are
/// kept as text so that binding never fails: <see cref="ValidateDashboardOptions"/> reports every
/// bad value at start-up, and <see cref="DashboardSettings"/> holds what they mean.
/// </summary>
public sealed class DashboardOptions
{
    public const string DefaultRefreshInterval = "2s";

    public PrometheusOptions Prometheus { get; set; } = new();

    public KubernetesOptions Kubernetes { get; set; } = new();

    public GrafanaOptions Grafana { get; set; } = new();

    public TapOptions Tap { get; set; } = new();

    public MeshIdentityOptions Identity { get; set; } = new();

    public InvestigationOptions Investigation { get; set; } = new();

    /// <summary>How often pages refresh their tables; at least 500ms.</summary>
    public string? RefreshInterval { get; set; } = DefaultRefreshInterval;

    /// <summary>Host patterns the dashboard answers to; null means the defaults (see <see cref="DashboardOptionsParser"/>).</summary>
    public IList<string>? AllowedHosts { get; set; }

    /// <summary>A path prefix such as <c>/dashboard</c> when served behind a proxy under a sub-path.</summary>
    public string? PathBase { get; set; }
}

public sealed class PrometheusOptions
{
    public const string DefaultUrl = "http://127.0.0.1:9090";
    public const string DefaultScrapeInterval = "10s";
    public const string DefaultTimeout = "10s";

    public string? Url { get; set; } = DefaultUrl;

    /// <summary>Prometheus' scrape interval; windows shorter than a few intervals hold too few samples to rate.</summary>
    public string? ScrapeInterval { get; set; } = DefaultScrapeInterval;

    public string? Timeout { get; set; } = DefaultTimeout;
}

/// <summary>Where the Kubernetes API is: at most one of the three; none means <see cref="DefaultUrl"/> (the local fleet).</summary>
public sealed class KubernetesOptions
{
    public const string DefaultUrl = "http://127.0.0.1:6443";

    public string? Url { get; set; }

    public string? Kubeconfig { get; set; }

    public string? InCluster { get; set; }
}

public sealed class GrafanaOptions
{
    public string? Url { get; set; }

    /// <summary>"true": the dashboard reverse-proxies <see cref="Url"/> (an in-cluster address) under /grafana/.</summary>
    public string? Proxy { get; set; }
}

public sealed class TapOptions
{
    /// <summary>The bearer token the proxies' tap hubs require; unset means tap is off.</summary>
    public string? Token { get; set; }
}

/// <summary>The dashboard's workload identity (see <see cref="ConfigKeys.IdentityTrustAnchors"/>); unset, it has none.</summary>
public sealed class MeshIdentityOptions
{
    /// <summary>PEM of the mesh's trust anchors; setting it turns the identity on.</summary>
    public string? TrustAnchors { get; set; }

    /// <summary>The dashboard's identity, <c>&lt;serviceaccount&gt;.&lt;namespace&gt;.serviceaccount.identity.&lt;trust-domain&gt;</c>.</summary>
    public string? LocalName { get; set; }

    /// <summary><c>host:port</c> of the identity endpoint.</summary>
    public string? ServiceAddress { get; set; }

    /// <summary>The identity the identity endpoint must present; by default its ServiceAccount's in the control-plane namespace.</summary>
    public string? ServiceName { get; set; }

    /// <summary>The ServiceAccount token (projected for the identity audience) the dashboard proves itself with.</summary>
    public string? TokenFile { get; set; }
}

/// <summary>
/// The thresholds of investigations (<see cref="ConfigKeys.InvestigationLatencySigmas"/> and the others), as numbers in
/// invariant culture; unset means <see cref="Investigation.InvestigationThresholds.Default"/>.
/// </summary>
public sealed class InvestigationOptions
{
    public string? LatencySigmas { get; set; }

    public string? LatencyFactor { get; set; }

    public string? LatencyAbsoluteMs { get; set; }

    public string? FailureSigmas { get; set; }

    public string? FailureFactor { get; set; }

    public string? FailureAbsolute { get; set; }

    public string? MinRequests { get; set; }

    public string? Lookback { get; set; }
}
