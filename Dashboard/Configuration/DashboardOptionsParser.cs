using Dashboard.Contracts.Identity;
using Dashboard.Investigation;
using Dashboard.Kubernetes;
using Dashboard.Model;
using Dashboard.Security;

namespace Dashboard.Configuration;

/// <summary>
/// Turns <see cref="DashboardOptions"/> into <see cref="DashboardSettings"/>, or into the full list
/// of problems, each naming its key (<see cref="ConfigKeys"/>), the value and what was expected.
/// </summary>
public static class DashboardOptionsParser
{
    /// <summary>The name of the dashboard's Kubernetes Service, for the default allowed hosts.</summary>
    public const string ServiceName = "dashboard";

    /// <summary>
    /// Loopback names, the bare Service name, and when the namespace is known the Service's
    /// in-cluster names; any other Host (DNS rebinding) is refused unless configured.
    /// </summary>
    public static IList<string> DefaultAllowedHosts(string? podNamespace)
    {
        List<string> hosts = ["localhost", "127.0.0.1", "[::1]", ServiceName];
        if (!string.IsNullOrWhiteSpace(podNamespace))
        {
            var inNamespace = $"{ServiceName}.{podNamespace}";
            hosts.AddRange([inNamespace, inNamespace + ".svc", inNamespace + ".svc.cluster.local"]);
        }

        return hosts;
    }

    public static (DashboardSettings? Settings, IReadOnlyList<string> Errors) Parse(DashboardOptions options, DashboardEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new ConfigProblems();
        var prometheusUrl = problems.HttpUrl(ConfigKeys.PrometheusUrl, options.Prometheus.Url);
        var scrapeInterval = problems.Duration(ConfigKeys.PrometheusScrapeInterval, options.Prometheus.ScrapeInterval);
        var timeout = problems.Duration(ConfigKeys.PrometheusTimeout, options.Prometheus.Timeout);
        var kubernetes = KubernetesSourceParser.Parse(options.Kubernetes, environment, problems);
        var grafana = ParseGrafana(options.Grafana, problems);
        var refresh = problems.Duration(ConfigKeys.RefreshInterval, options.RefreshInterval, DashboardSettings.MinimumRefreshInterval);
        var allowedHosts = ParseAllowedHosts(options.AllowedHosts ?? DefaultAllowedHosts(environment.PodNamespace), problems);
        var pathBase = ParsePathBase(options.PathBase, problems);
        var tapToken = ParseTapToken(options.Tap.Token, problems);
        var identity = ParseIdentity(options.Identity, problems);
        var investigation = ParseInvestigation(options.Investigation, problems);
        var lookback = DashboardSettings.DefaultInvestigationLookback;
        if (!string.IsNullOrWhiteSpace(options.Investigation.Lookback) && !StatWindow.TryParse(options.Investigation.Lookback.Trim(), out lookback))
        {
            problems.Add(ConfigKeys.InvestigationLookback, options.Investigation.Lookback, $"is not {StatWindow.Expected}");
        }
        if (problems.Messages.Count > 0)
        {
            return (null, problems.Messages);
        }

        var settings = new DashboardSettings(
            new PrometheusSettings(prometheusUrl!, scrapeInterval!.Value, timeout!.Value),
            kubernetes!,
            grafana,
            refresh!.Value,
            allowedHosts,
            pathBase,
            tapToken,
            identity)
        {
            Investigation = investigation!,
            InvestigationLookback = lookback,
        };
        return (settings, []);
    }

    // Factors below 1 would call a value under its baseline high; sigmas and amounts of 0 switch their test off.
    private static InvestigationThresholds? ParseInvestigation(InvestigationOptions options, ConfigProblems problems)
    {
        var defaults = InvestigationThresholds.Default;
        var latencySigmas = problems.Number(ConfigKeys.InvestigationLatencySigmas, options.LatencySigmas, defaults.Latency.Sigmas, 0);
        var latencyFactor = problems.Number(ConfigKeys.InvestigationLatencyFactor, options.LatencyFactor, defaults.Latency.Factor, 1);
        var latencyAbsolute = problems.Number(ConfigKeys.InvestigationLatencyAbsoluteMs, options.LatencyAbsoluteMs, defaults.Latency.Absolute, 0);
        var failureSigmas = problems.Number(ConfigKeys.InvestigationFailureSigmas, options.FailureSigmas, defaults.FailureRate.Sigmas, 0);
        var failureFactor = problems.Number(ConfigKeys.InvestigationFailureFactor, options.FailureFactor, defaults.FailureRate.Factor, 1);
        var failureAbsolute = problems.Number(ConfigKeys.InvestigationFailureAbsolute, options.FailureAbsolute, defaults.FailureRate.Absolute, 0);
        var minRequests = problems.Number(ConfigKeys.InvestigationMinRequests, options.MinRequests, defaults.MinRequests, 0, exclusive: true);
        if (failureAbsolute > 1)
        {
            problems.Add(ConfigKeys.InvestigationFailureAbsolute, options.FailureAbsolute, "is out of range (expected a share of requests between 0 and 1)");
            return null;
        }

        return latencySigmas is { } ls && latencyFactor is { } lf && latencyAbsolute is { } la
            && failureSigmas is { } fs && failureFactor is { } ff && failureAbsolute is { } fa && minRequests is { } mr
            ? new InvestigationThresholds(new(ls, lf, la), new(fs, ff, fa), mr)
            : null;
    }

    private static GrafanaSettings? ParseGrafana(GrafanaOptions options, ConfigProblems problems)
    {
        var proxy = problems.Boolean(ConfigKeys.GrafanaProxy, options.Proxy, unset: false);
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            if (proxy == true)
            {
                problems.Add(ConfigKeys.GrafanaProxy, options.Proxy, $"needs {ConfigKeys.GrafanaUrl}: the in-cluster Grafana address to proxy under /grafana/");
            }

            return null;
        }

        var url = problems.HttpUrl(ConfigKeys.GrafanaUrl, options.Url);
        return url is null || proxy is null ? null : new GrafanaSettings(url, proxy.Value);
    }

    private static List<HostPattern> ParseAllowedHosts(IList<string> hosts, ConfigProblems problems)
    {
        var patterns = new List<HostPattern>();
        for (var i = 0; i < hosts.Count; i++)
        {
            if (HostPattern.TryParse(hosts[i], out var pattern, out var error))
            {
                patterns.Add(pattern);
            }
            else
            {
                problems.Add($"{ConfigKeys.AllowedHosts}:{i}", hosts[i], error);
            }
        }

        if (hosts.Count == 0)
        {
            problems.Add(ConfigKeys.AllowedHosts, "", "is empty (expected at least one host pattern, or '*' to allow any host)");
        }

        return patterns;
    }

    private static string ParsePathBase(string? value, ConfigProblems problems)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            return "";
        }

        var valid = text.StartsWith('/')
            && !text.Contains("//", StringComparison.Ordinal)
            && !text.Split('/').Contains("..")
            && !text.Any(c => c is '?' or '#' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c));
        if (!valid)
        {
            problems.Add(ConfigKeys.PathBase, value, "is not a path base (expected a path starting with '/', such as '/dashboard', without query or fragment)");
            return "";
        }

        // "/dashboard/" and "/dashboard" mean the same prefix; "/" means none.
        return text.TrimEnd('/');
    }

    private static readonly IdentitySettingNames IdentityKeys = new(ConfigKeys.IdentityTrustAnchors, ConfigKeys.IdentityLocalName,
        ConfigKeys.IdentityServiceAddress, ConfigKeys.IdentityServiceName, ConfigKeys.IdentityTokenFile);

    private static IdentityOptions? ParseIdentity(MeshIdentityOptions options, ConfigProblems problems)
    {
        var values = new Dictionary<string, string?>
        {
            [ConfigKeys.IdentityTrustAnchors] = options.TrustAnchors,
            [ConfigKeys.IdentityLocalName] = options.LocalName,
            [ConfigKeys.IdentityServiceAddress] = options.ServiceAddress,
            [ConfigKeys.IdentityServiceName] = options.ServiceName,
            [ConfigKeys.IdentityTokenFile] = options.TokenFile,
        };
        var errors = new List<string>();
        // The token mounted where inject mounts the proxies' (docker/kubernetes/40-dashboard.yaml does the same).
        var identity = IdentityOptionsParser.Parse(key => values[key], IdentityKeys, Cli.Inject.ProxyIdentity.TokenFile, errors);
        errors.ForEach(problems.AddMessage);
        return identity;
    }

    private static string? ParseTapToken(string? token, ConfigProblems problems)
    {
        if (token is null || token.Length == 0)
        {
            return null;
        }

        // The token is a secret: the message describes it instead of echoing it.
        if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problems.AddMessage($"{ConfigKeys.TapToken}: (hidden, {token.Length} characters) contains whitespace or control characters; expected a bearer token without spaces");
            return null;
        }

        return token;
    }
}
