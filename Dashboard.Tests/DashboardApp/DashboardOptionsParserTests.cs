using Dashboard.Configuration;
using Dashboard.Kubernetes;

namespace Dashboard.Tests.DashboardApp;

/// <summary>Each configuration rule, and all problems reported together, each naming key, value and expectation.</summary>
public sealed class DashboardOptionsParserTests
{
    [Fact]
    public void Defaults_are_valid_and_match_the_documented_values()
    {
        var (settings, errors) = DashboardOptionsParser.Parse(new DashboardOptions(), DashboardEnvironment.Local);

        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.Equal(new Uri("http://127.0.0.1:9090"), settings.Prometheus.Url);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Prometheus.ScrapeInterval);
        Assert.Equal(TimeSpan.FromSeconds(40), settings.Prometheus.MinimumWindow);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Prometheus.Timeout);
        Assert.Equal(KubernetesSource.Default, settings.Kubernetes);
        Assert.Equal("http://127.0.0.1:6443", settings.Kubernetes.Location);
        Assert.Null(settings.Grafana);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.RefreshInterval);
        Assert.Equal(["localhost", "127.0.0.1", "[::1]", "dashboard"], settings.AllowedHosts.Select(h => h.Text));
        Assert.Equal("", settings.PathBase);
        Assert.Null(settings.TapToken);
    }

    [Fact]
    public void In_a_pod_the_default_hosts_include_the_service_names_of_its_namespace()
    {
        var (settings, _) = DashboardOptionsParser.Parse(new DashboardOptions(), new DashboardEnvironment("mesh", IsInCluster: true));

        Assert.Equal(
            ["localhost", "127.0.0.1", "[::1]", "dashboard", "dashboard.mesh", "dashboard.mesh.svc", "dashboard.mesh.svc.cluster.local"],
            settings!.AllowedHosts.Select(h => h.Text));
    }

    [Fact]
    public void Good_values_are_parsed()
    {
        var options = new DashboardOptions
        {
            Prometheus = new() { Url = "https://prom.example:9443/prefix", ScrapeInterval = "15s", Timeout = "1m30s" },
            Kubernetes = new() { InCluster = "true" },
            Grafana = new() { Url = "http://grafana.monitoring.svc:3000", Proxy = "True" },
            RefreshInterval = "500ms",
            AllowedHosts = ["*.example.com", "dashboard.example.org"],
            PathBase = "/dashboard/",
            Tap = new() { Token = "s3cr3t-token" },
        };

        var (settings, errors) = DashboardOptionsParser.Parse(options, new DashboardEnvironment("mesh", IsInCluster: true));

        Assert.Empty(errors);
        Assert.Equal("https://prom.example:9443/prefix", settings!.Prometheus.Url.AbsoluteUri);
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(90)), (settings.Prometheus.ScrapeInterval, settings.Prometheus.Timeout));
        Assert.Equal(KubernetesSource.InCluster, settings.Kubernetes);
        Assert.Equal(new GrafanaSettings(new Uri("http://grafana.monitoring.svc:3000"), Proxy: true), settings.Grafana);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.RefreshInterval);
        Assert.Equal(["*.example.com", "dashboard.example.org"], settings.AllowedHosts.Select(h => h.Text));
        Assert.Equal("/dashboard", settings.PathBase);
        Assert.Equal("s3cr3t-token", settings.TapToken);
    }

    [Theory]
    [InlineData("Prometheus:Url", "htp:/x", "Dashboard:Prometheus:Url: 'htp:/x' is not an absolute http(s) URL")]
    [InlineData("Prometheus:Url", "/relative", "Dashboard:Prometheus:Url: '/relative' is not an absolute http(s) URL")]
    [InlineData("Prometheus:Url", "", "Dashboard:Prometheus:Url: '' is not an absolute http(s) URL")]
    [InlineData("Prometheus:ScrapeInterval", "10 seconds", "Dashboard:Prometheus:ScrapeInterval: '10 seconds' is not a duration such as")]
    [InlineData("Prometheus:ScrapeInterval", "0s", "Dashboard:Prometheus:ScrapeInterval: '0s' is not a positive duration")]
    [InlineData("Prometheus:Timeout", "-1s", "Dashboard:Prometheus:Timeout: '-1s' is not a duration such as")]
    [InlineData("Kubernetes:Url", "ftp://k8s", "Dashboard:Kubernetes:Url: 'ftp://k8s' is not an absolute http(s) URL")]
    [InlineData("Kubernetes:Kubeconfig", "/no/such/kubeconfig", "Dashboard:Kubernetes:Kubeconfig: '/no/such/kubeconfig' does not exist (expected the path of a kubeconfig file)")]
    [InlineData("Kubernetes:InCluster", "true", "Dashboard:Kubernetes:InCluster: 'true' but this process is not running in a Kubernetes pod")]
    [InlineData("Kubernetes:InCluster", "yes", "Dashboard:Kubernetes:InCluster: 'yes' is not a boolean (expected 'true' or 'false')")]
    [InlineData("Grafana:Url", "grafana:3000", "Dashboard:Grafana:Url: 'grafana:3000' is not an absolute http(s) URL")]
    [InlineData("Grafana:Proxy", "true", "Dashboard:Grafana:Proxy: 'true' needs Dashboard:Grafana:Url")]
    [InlineData("Grafana:Proxy", "on", "Dashboard:Grafana:Proxy: 'on' is not a boolean")]
    [InlineData("RefreshInterval", "100ms", "Dashboard:RefreshInterval: '100ms' is shorter than the minimum 500ms")]
    [InlineData("RefreshInterval", "fast", "Dashboard:RefreshInterval: 'fast' is not a duration such as")]
    [InlineData("AllowedHosts", "https://dashboard.example.com/", "Dashboard:AllowedHosts:0: 'https://dashboard.example.com/' is a URL, not a host")]
    [InlineData("AllowedHosts", "localhost:8084", "Dashboard:AllowedHosts:0: 'localhost:8084' has a port (hosts are allowed on any port)")]
    [InlineData("AllowedHosts", "dash*.example.com", "Dashboard:AllowedHosts:0: 'dash*.example.com' has a wildcard other than a leading '*.'")]
    [InlineData("PathBase", "dashboard", "Dashboard:PathBase: 'dashboard' is not a path base (expected a path starting with '/'")]
    [InlineData("PathBase", "/a?b", "Dashboard:PathBase: '/a?b' is not a path base")]
    public void A_bad_value_is_reported_with_its_key_the_value_and_what_was_expected(string key, string value, string expected)
    {
        var options = new DashboardOptions();
        Set(options, key, value);

        var (settings, errors) = DashboardOptionsParser.Parse(options, DashboardEnvironment.Local);

        Assert.Null(settings);
        var error = Assert.Single(errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_allowed_hosts_list_is_refused()
    {
        var (_, errors) = DashboardOptionsParser.Parse(new DashboardOptions { AllowedHosts = [] }, DashboardEnvironment.Local);

        Assert.StartsWith("Dashboard:AllowedHosts: '' is empty", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_tap_token_is_described_without_echoing_the_secret()
    {
        var (_, errors) = DashboardOptionsParser.Parse(new DashboardOptions { Tap = new() { Token = "hunter2 oops" } }, DashboardEnvironment.Local);

        var error = Assert.Single(errors);
        Assert.StartsWith("Dashboard:Tap:Token: (hidden, 12 characters) contains whitespace", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new DashboardOptions
        {
            Prometheus = new() { Url = "htp:/x", ScrapeInterval = "often", Timeout = "0s" },
            Kubernetes = new() { Url = "k8s:6443" },
            Grafana = new() { Url = "nope", Proxy = "maybe" },
            RefreshInterval = "10ms",
            AllowedHosts = ["ok.example", "bad host", "http://x"],
            PathBase = "no-slash",
            Tap = new() { Token = " " },
        };

        var (settings, errors) = DashboardOptionsParser.Parse(options, DashboardEnvironment.Local);

        Assert.Null(settings);
        Assert.Equal(
        [
            ConfigKeys.PrometheusUrl, ConfigKeys.PrometheusScrapeInterval, ConfigKeys.PrometheusTimeout, ConfigKeys.KubernetesUrl,
            ConfigKeys.GrafanaProxy, ConfigKeys.GrafanaUrl, ConfigKeys.RefreshInterval, ConfigKeys.AllowedHosts + ":1",
            ConfigKeys.AllowedHosts + ":2", ConfigKeys.PathBase, ConfigKeys.TapToken,
        ], errors.Select(e => e[..e.IndexOf(": ", StringComparison.Ordinal)]));
    }

    private static void Set(DashboardOptions options, string key, string value)
    {
        switch (key)
        {
            case "Prometheus:Url": options.Prometheus.Url = value; break;
            case "Prometheus:ScrapeInterval": options.Prometheus.ScrapeInterval = value; break;
            case "Prometheus:Timeout": options.Prometheus.Timeout = value; break;
            case "Kubernetes:Url": options.Kubernetes.Url = value; break;
            case "Kubernetes:Kubeconfig": options.Kubernetes.Kubeconfig = value; break;
            case "Kubernetes:InCluster": options.Kubernetes.InCluster = value; break;
            case "Grafana:Url": options.Grafana.Url = value; break;
            case "Grafana:Proxy": options.Grafana.Proxy = value; break;
            case "RefreshInterval": options.RefreshInterval = value; break;
            case "AllowedHosts": options.AllowedHosts = [value]; break;
            case "PathBase": options.PathBase = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(key), key, null);
        }
    }
}
