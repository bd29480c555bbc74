using Dashboard.Contracts.Identity;
using Dashboard.Investigation;
using Dashboard.Kubernetes;
using Dashboard.Model;
using Dashboard.Security;

namespace Dashboard.Configuration;

/// <summary>
/// The validated meaning of <see cref="DashboardOptions"/>: typed, defaults applied. Registered as a
/// singleton; resolving it runs the validation, so a service holding one holds a good configuration.
/// <see cref="Identity"/> is the dashboard's workload identity, null without one (tap then needs <see cref="TapToken"/>).
/// </summary>
public sealed record DashboardSettings(
    PrometheusSettings Prometheus,
    KubernetesSource Kubernetes,
    GrafanaSettings? Grafana,
    TimeSpan RefreshInterval,
    IReadOnlyList<HostPattern> AllowedHosts,
    string PathBase,
    string? TapToken,
    IdentityOptions? Identity = null)
{
    /// <summary>The shortest refresh interval accepted: faster refreshes only add Prometheus load.</summary>
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>When investigations call a value deviating (<c>Dashboard:Investigation</c>).</summary>
    public InvestigationThresholds Investigation { get; init; } = InvestigationThresholds.Default;

    /// <summary>How far back spike panels and badges look (<c>Dashboard:Investigation:Lookback</c>).</summary>
    public StatWindow InvestigationLookback { get; init; } = DefaultInvestigationLookback;

    /// <summary>What spike panels and badges look back over unless configured.</summary>
    public static readonly StatWindow DefaultInvestigationLookback = StatWindow.FromSeconds(15 * 60);
}

public sealed record PrometheusSettings(Uri Url, TimeSpan ScrapeInterval, TimeSpan Timeout)
{
    /// <summary>
    /// The shortest window a rate may be taken over: four scrape intervals, as Grafana's
    /// <c>$__rate_interval</c> uses, so that a missed scrape still leaves enough samples.
    /// </summary>
    public TimeSpan MinimumWindow => ScrapeInterval * 4;
}

/// <param name="Url">Where Grafana serves.</param>
/// <param name="Proxy">Whether the dashboard reverse-proxies it under /grafana/ (an in-cluster URL the browser cannot reach).</param>
public sealed record GrafanaSettings(Uri Url, bool Proxy);
