using System.Diagnostics;
using Dashboard.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.DashboardApp;

/// <summary>Binding from the keys in <see cref="ConfigKeys"/> through every provider, and validation at start-up.</summary>
public sealed class DashboardOptionsBindingTests
{
    public static TheoryData<string, Func<DashboardOptions, string?>> Keys => new()
    {
        { ConfigKeys.PrometheusUrl, o => o.Prometheus.Url },
        { ConfigKeys.PrometheusScrapeInterval, o => o.Prometheus.ScrapeInterval },
        { ConfigKeys.PrometheusTimeout, o => o.Prometheus.Timeout },
        { ConfigKeys.KubernetesUrl, o => o.Kubernetes.Url },
        { ConfigKeys.KubernetesKubeconfig, o => o.Kubernetes.Kubeconfig },
        { ConfigKeys.KubernetesInCluster, o => o.Kubernetes.InCluster },
        { ConfigKeys.GrafanaUrl, o => o.Grafana.Url },
        { ConfigKeys.GrafanaProxy, o => o.Grafana.Proxy },
        { ConfigKeys.RefreshInterval, o => o.RefreshInterval },
        { ConfigKeys.AllowedHosts, o => o.AllowedHosts is { Count: 1 } hosts ? hosts[0] : null },
        { ConfigKeys.PathBase, o => o.PathBase },
        { ConfigKeys.TapToken, o => o.Tap.Token },
        { ConfigKeys.IdentityTrustAnchors, o => o.Identity.TrustAnchors },
        { ConfigKeys.IdentityLocalName, o => o.Identity.LocalName },
        { ConfigKeys.IdentityServiceAddress, o => o.Identity.ServiceAddress },
        { ConfigKeys.IdentityServiceName, o => o.Identity.ServiceName },
        { ConfigKeys.IdentityTokenFile, o => o.Identity.TokenFile },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Each_key_binds_from_the_command_line_and_from_environment_variables(string key, Func<DashboardOptions, string?> read)
    {
        var fromCommandLine = new DashboardOptions();
        DashboardOptionsBinder.Bind(new ConfigurationBuilder().AddCommandLine([$"--{key}=marker"]).Build(), fromCommandLine);
        Assert.Equal("marker", read(fromCommandLine));

        // A prefix of its own keeps this test's variable away from every other test's configuration.
        var prefix = $"DASHBOARD_TEST_{Guid.NewGuid():N}_";
        var variable = prefix + ConfigKeys.EnvironmentVariable(key);
        Environment.SetEnvironmentVariable(variable, "marker");
        try
        {
            var fromEnvironment = new DashboardOptions();
            DashboardOptionsBinder.Bind(new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build(), fromEnvironment);
            Assert.Equal("marker", read(fromEnvironment));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Allowed_hosts_bind_as_a_list_or_as_one_value_separated_by_semicolons()
    {
        var asList = new DashboardOptions();
        DashboardOptionsBinder.Bind(Config(new() { ["Dashboard:AllowedHosts:0"] = "a.example", ["Dashboard:AllowedHosts:1"] = "*.b.example" }), asList);
        var asOne = new DashboardOptions();
        DashboardOptionsBinder.Bind(Config(new() { ["Dashboard:AllowedHosts"] = " a.example ; *.b.example ;" }), asOne);
        var unset = new DashboardOptions();
        DashboardOptionsBinder.Bind(Config([]), unset);

        Assert.Equal(["a.example", "*.b.example"], asList.AllowedHosts);
        Assert.Equal(["a.example", "*.b.example"], asOne.AllowedHosts);
        Assert.Null(unset.AllowedHosts);
        Assert.Equal(PrometheusOptions.DefaultUrl, unset.Prometheus.Url);
    }

    [Fact]
    public async Task A_bad_configuration_stops_the_host_at_start_with_every_problem()
    {
        using var host = BuildHost(new()
        {
            [ConfigKeys.PrometheusUrl] = "htp:/x",
            [ConfigKeys.RefreshInterval] = "1ms",
            [ConfigKeys.AllowedHosts] = "http://dashboard/",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestTimeouts.Token).Within());

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains("Dashboard:Prometheus:Url: 'htp:/x' is not an absolute http(s) URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("Dashboard:RefreshInterval: '1ms'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Dashboard:AllowedHosts:0: 'http://dashboard/'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_good_configuration_starts_and_provides_the_settings()
    {
        using var host = BuildHost(new() { [ConfigKeys.PrometheusUrl] = "http://prometheus:9090", [ConfigKeys.PathBase] = "/dash" });

        await host.StartAsync(TestTimeouts.Token).Within();
        var settings = host.Services.GetRequiredService<DashboardSettings>();
        await host.StopAsync(TestTimeouts.Token).Within();

        Assert.Equal(new Uri("http://prometheus:9090"), settings.Prometheus.Url);
        Assert.Equal("/dash", settings.PathBase);
    }

    [Fact]
    public async Task The_dashboard_process_refuses_to_start_and_lists_every_problem()
    {
        var info = new ProcessStartInfo("dotnet");
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "dashboard.dll"), "serve", "--urls", "http://127.0.0.1:0",
            "--Dashboard:Prometheus:Url=htp:/x", "--Dashboard:Kubernetes:Url=k8s", "--Dashboard:PathBase=dash",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var run = await CapturedProcess.RunAsync(info, TestTimeouts.Slow);
        var output = run.Output;

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Dashboard:Prometheus:Url: 'htp:/x' is not an absolute http(s) URL", output, StringComparison.Ordinal);
        Assert.Contains("Dashboard:Kubernetes:Url: 'k8s' is not an absolute http(s) URL", output, StringComparison.Ordinal);
        Assert.Contains("Dashboard:PathBase: 'dash' is not a path base", output, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Dictionary<string, string?> values)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddSingleton(DashboardEnvironment.Local);
        builder.Services.AddDashboardOptions(builder.Configuration);
        return builder.Build();
    }

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
