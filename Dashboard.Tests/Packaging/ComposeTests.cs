using Dashboard.Configuration;
using Dashboard.Contracts.Durations;
using Dashboard.Proxy.Fleet.Manifest;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// docker/compose.yaml is valid for docker-compose 1.29 and its parts fit together: the files it mounts exist and
/// are what each service reads, and the dashboard's settings pass the dashboard's own validation.
/// </summary>
public sealed class ComposeTests
{
    private const string DockerCompose = "/usr/bin/docker-compose";

    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        var result = await Tool.RunAsync(DockerCompose, ["-f", Packaged.Compose, "config", "-q"], TestTimeouts.Slow);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("", result.Output.Trim());
    }

    [Fact]
    public async Task Services_read_the_files_of_docker_and_agree_on_addresses()
    {
        var services = (await ResolvedAsync()).At("services");

        var prometheusConfig = Packaged.Yaml(await File.ReadAllTextAsync(HostPath(services, "prometheus", Flag(services, "prometheus", "--config.file")), TestTimeouts.Token));
        Assert.Equal(File.ReadAllText(Packaged.LocalPrometheusConfig), File.ReadAllText(HostPath(services, "prometheus", Flag(services, "prometheus", "--config.file"))));
        var fleetCommand = Strings(services.At("fleet", "command"));
        Assert.Equal("fleet", fleetCommand[0]);
        var manifest = FleetManifestLoader.Load(HostPath(services, "fleet", fleetCommand[1]));
        Assert.NotEmpty(manifest.Namespaces);

        var environment = Environment(services, "dashboard");
        var (settings, errors) = DashboardEnvironmentVariables.Parse(environment, DashboardEnvironment.Local);
        Assert.True(settings is not null, string.Join("\n", errors));
        Assert.Equal(Port(fleetCommand[3]), new Uri(settings.Kubernetes.Location).Port);
        Assert.Equal(Port(Flag(services, "prometheus", "--web.listen-address")), settings.Prometheus.Url.Port);
        Assert.Equal(new Uri(prometheusConfig.Text("scrape_configs", 0, "http_sd_configs", 0, "url")).Port, Port(fleetCommand[3]));
        Assert.Equal(Duration(prometheusConfig.Text("global", "scrape_interval")), settings.Prometheus.ScrapeInterval);

        // The browser follows the dashboard's Grafana links to a port the host publishes.
        var published = Strings(services.At("fleet", "ports")).Select(p => p.Split('/')[0]).ToList();
        Assert.Contains(published, p => p.EndsWith($":{settings.Grafana!.Url.Port}", StringComparison.Ordinal));
        Assert.Contains(published, p => p.EndsWith($":{settings.Prometheus.Url.Port}", StringComparison.Ordinal));
        Assert.All(published, p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));
        foreach (var shared in new[] { "prometheus", "grafana", "dashboard" })
        {
            Assert.Equal("service:fleet", services.Text(shared, "network_mode"));
        }
    }

    [Fact]
    public async Task Grafana_provisions_the_datasource_the_dashboards_use_and_the_dashboards_of_docker()
    {
        var services = (await ResolvedAsync()).At("services");

        var datasources = Directory.GetFiles(HostPath(services, "grafana", "/etc/grafana/provisioning/datasources"), "*.yaml");
        var datasource = Packaged.Yaml(File.ReadAllText(Assert.Single(datasources))).At("datasources", 0);
        Assert.Equal("http://127.0.0.1:9090", datasource.Text("url"));
        var provider = Packaged.Yaml(File.ReadAllText(Assert.Single(Directory.GetFiles(HostPath(services, "grafana", "/etc/grafana/provisioning/dashboards"), "*.yaml"))));
        var dashboards = HostPath(services, "grafana", provider.Text("providers", 0, "options", "path"));
        Assert.Equal(Path.GetFullPath(Packaged.GrafanaDashboards), Path.GetFullPath(dashboards));
        Assert.True(File.Exists(HostPath(services, "grafana", Environment(services, "grafana")["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"])));
        foreach (var file in Directory.GetFiles(dashboards, "*.json"))
        {
            var uids = GrafanaDashboard.Load(file).DatasourceUids().Distinct();
            Assert.Equal([datasource.Text("uid")], uids);
        }
    }

    [Fact]
    public async Task Every_service_runs_with_a_read_only_root_filesystem_and_pinned_images()
    {
        var services = (YamlMappingNode)(await ResolvedAsync()).At("services");

        foreach (var (name, service) in services.Children.Select(c => (((YamlScalarNode)c.Key).Value!, (YamlMappingNode)c.Value)))
        {
            Assert.True(service.Text("read_only") == "true", $"{name} has a read-only root filesystem");
            var image = service.Text("image");
            Assert.Matches(@"^[\w./-]+:[\w.-]+$", image);
            Assert.DoesNotContain(":latest", image, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_fleet_checks_its_health_with_what_the_proxy_image_has_on_its_api_port()
    {
        var services = (await ResolvedAsync()).At("services");
        var image = Dockerfile.Load(Path.Combine(Packaged.Docker, "proxy.Dockerfile"));

        Assert.Equal("docker/proxy.Dockerfile", services.Text("fleet", "build", "dockerfile"));
        var test = Strings(services.At("fleet", "healthcheck", "test"));
        // The Debian proxy image has no wget or curl: the check runs what the image's own check runs.
        Assert.Equal(["CMD", image.HealthCheckCommand[0]], test[..2]);
        var api = Port(Strings(services.At("fleet", "command"))[3]);
        Assert.Contains($"/dev/tcp/127.0.0.1/{api} ", test[^1], StringComparison.Ordinal);
        Assert.Contains("GET /healthz HTTP/1.0", test[^1], StringComparison.Ordinal);
    }

    private static async Task<YamlMappingNode> ResolvedAsync()
    {
        var result = await Tool.RunAsync(DockerCompose, ["-f", Packaged.Compose, "config"], TestTimeouts.Slow);
        Assert.True(result.ExitCode == 0, result.Output);
        return Packaged.Yaml(result.StandardOutput);
    }

    /// <summary>A duration of Prometheus' configuration, read as Prometheus reads it.</summary>
    internal static TimeSpan Duration(string text)
    {
        var parsed = DurationText.Parse(text, DurationSyntax.Prometheus);
        return parsed.Problem is null ? parsed.Value : throw new FormatException($"'{text}' {parsed.Problem}");
    }

    private static List<string> Strings(YamlNode node) => [.. ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static Dictionary<string, string> Environment(YamlNode services, string service) =>
        ((YamlMappingNode)services.At(service, "environment")).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "");

    private static string Flag(YamlNode services, string service, string flag) =>
        Strings(services.At(service, "command")).Single(a => a.StartsWith(flag + "=", StringComparison.Ordinal))[(flag.Length + 1)..];

    private static int Port(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The host file or folder a service sees at <paramref name="containerPath"/>, through its bind mounts.</summary>
    private static string HostPath(YamlNode services, string service, string containerPath)
    {
        var mounts = Strings(services.At(service, "volumes")).Select(v => v.Split(':')).Where(v => v[0].StartsWith('/')).ToList();
        var mount = mounts.Where(m => containerPath == m[1] || containerPath.StartsWith(m[1] + "/", StringComparison.Ordinal)).MaxBy(m => m[1].Length);
        Assert.True(mount is not null, $"{service} mounts nothing at {containerPath}");
        var path = mount[0] + containerPath[mount[1].Length..];
        Assert.True(File.Exists(path) || Directory.Exists(path), $"{service} reads {containerPath}, mounted from {path}, which does not exist");
        return path;
    }
}
