using Microsoft.Extensions.Configuration;

namespace Dashboard.Configuration;

/// <summary>
/// Reads <see cref="DashboardOptions"/> key by key from <see cref="ConfigKeys"/>, so the keys in
/// messages are the keys that were read, and a malformed value is kept for the validator to
/// report instead of failing the bind.
/// </summary>
public static class DashboardOptionsBinder
{
    public static void Bind(IConfiguration configuration, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        options.Prometheus.Url = configuration[ConfigKeys.PrometheusUrl] ?? options.Prometheus.Url;
        options.Prometheus.ScrapeInterval = configuration[ConfigKeys.PrometheusScrapeInterval] ?? options.Prometheus.ScrapeInterval;
        options.Prometheus.Timeout = configuration[ConfigKeys.PrometheusTimeout] ?? options.Prometheus.Timeout;
        options.Kubernetes.Url = configuration[ConfigKeys.KubernetesUrl] ?? options.Kubernetes.Url;
        options.Kubernetes.Kubeconfig = configuration[ConfigKeys.KubernetesKubeconfig] ?? options.Kubernetes.Kubeconfig;
        options.Kubernetes.InCluster = configuration[ConfigKeys.KubernetesInCluster] ?? options.Kubernetes.InCluster;
        options.Grafana.Url = configuration[ConfigKeys.GrafanaUrl] ?? options.Grafana.Url;
        options.Grafana.Proxy = configuration[ConfigKeys.GrafanaProxy] ?? options.Grafana.Proxy;
        options.RefreshInterval = configuration[ConfigKeys.RefreshInterval] ?? options.RefreshInterval;
        options.AllowedHosts = ReadList(configuration.GetSection(ConfigKeys.AllowedHosts)) ?? options.AllowedHosts;
        options.PathBase = configuration[ConfigKeys.PathBase] ?? options.PathBase;
        options.Tap.Token = configuration[ConfigKeys.TapToken] ?? options.Tap.Token;
        options.Identity.TrustAnchors = configuration[ConfigKeys.IdentityTrustAnchors] ?? options.Identity.TrustAnchors;
        options.Identity.LocalName = configuration[ConfigKeys.IdentityLocalName] ?? options.Identity.LocalName;
        options.Identity.ServiceAddress = configuration[ConfigKeys.IdentityServiceAddress] ?? options.Identity.ServiceAddress;
        options.Identity.ServiceName = configuration[ConfigKeys.IdentityServiceName] ?? options.Identity.ServiceName;
        options.Identity.TokenFile = configuration[ConfigKeys.IdentityTokenFile] ?? options.Identity.TokenFile;
        var investigation = options.Investigation;
        investigation.LatencySigmas = configuration[ConfigKeys.InvestigationLatencySigmas] ?? investigation.LatencySigmas;
        investigation.LatencyFactor = configuration[ConfigKeys.InvestigationLatencyFactor] ?? investigation.LatencyFactor;
        investigation.LatencyAbsoluteMs = configuration[ConfigKeys.InvestigationLatencyAbsoluteMs] ?? investigation.LatencyAbsoluteMs;
        investigation.FailureSigmas = configuration[ConfigKeys.InvestigationFailureSigmas] ?? investigation.FailureSigmas;
        investigation.FailureFactor = configuration[ConfigKeys.InvestigationFailureFactor] ?? investigation.FailureFactor;
        investigation.FailureAbsolute = configuration[ConfigKeys.InvestigationFailureAbsolute] ?? investigation.FailureAbsolute;
        investigation.MinRequests = configuration[ConfigKeys.InvestigationMinRequests] ?? investigation.MinRequests;
        investigation.Lookback = configuration[ConfigKeys.InvestigationLookback] ?? investigation.Lookback;
    }

    // A list from indexed children (appsettings arrays, Dashboard__AllowedHosts__0), or one value
    // split on ';' as ASP.NET's own AllowedHosts is, which is the convenient form for one variable.
    private static List<string>? ReadList(IConfigurationSection section)
    {
        var children = section.GetChildren()
            .Where(c => c.Value is not null)
            .OrderBy(c => int.TryParse(c.Key, out var index) ? index : int.MaxValue)
            .Select(c => c.Value!.Trim())
            .ToList();
        if (children.Count > 0)
        {
            return children;
        }

        return section.Value is { } value
            ? [.. value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
            : null;
    }
}
