using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Configuration;
using k8s.Models;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// The images' contents: the Dockerfiles' own <c>dotnet publish</c> (docker/publish.sh with their arguments), started
/// with their command and environment, serves: the proxy is ready, the dashboard serves its page and assets, and the
/// health checks and Kubernetes probes get answers. Folder sizes are printed as image-size estimates.
/// </summary>
[Collection(PublishCollection.Name)]
public sealed partial class PublishedOutputTests(PublishedOutputTests.Fixture published) : IClassFixture<PublishedOutputTests.Fixture>
{
    /// <summary>Publishes both parts once, one after the other: both builds write the shared Contracts project's output.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);
        private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("published-");

        internal Dockerfile Proxy { get; } = Dockerfile.Load(Path.Combine(Packaged.Docker, "proxy.Dockerfile"));
        internal Dockerfile Dashboard { get; } = Dockerfile.Load(Path.Combine(Packaged.Docker, "dashboard.Dockerfile"));
        public string ProxyOutput => Path.Combine(_root.FullName, "proxy");
        public string DashboardOutput => Path.Combine(_root.FullName, "dashboard");

        public async ValueTask InitializeAsync()
        {
            foreach (var (dockerfile, output) in new[] { (Proxy, ProxyOutput), (Dashboard, DashboardOutput) })
            {
                // The Dockerfile's own arguments; only the output folder is this machine's.
                var args = dockerfile.PublishArguments;
                var result = await Tool.RunAsync("sh", ["docker/publish.sh", args[0], output], PublishTimeout);
                Assert.True(result.ExitCode == 0, $"docker/publish.sh {args[0]} failed:\n{result.Output}");
            }
        }

        public ValueTask DisposeAsync()
        {
            _root.Delete(recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    private static readonly Dictionary<string, string> AspNetBaseImage = new() { ["ASPNETCORE_HTTP_PORTS"] = "8080" };

    [Fact]
    public void The_images_copy_what_publish_writes_and_run_it_unprivileged_with_a_health_check()
    {
        foreach (var dockerfile in new[] { published.Proxy, published.Dashboard })
        {
            Assert.InRange(dockerfile.Stages.Count, 2, 3); // build and runtime; the dashboard's front-end assets have a node stage
            Assert.Contains(dockerfile.Runtime, i => i.Keyword == "COPY" && i.Arguments == $"--from=build {dockerfile.PublishArguments[1]} .");
            Assert.Matches(@"^[1-9]\d*:[1-9]\d*$", dockerfile.Single("USER"));
            Assert.StartsWith("/", dockerfile.HealthCheckPath, StringComparison.Ordinal);
        }

        foreach (var (name, folder) in new[] { ("proxy", published.ProxyOutput), ("dashboard", published.DashboardOutput) })
        {
            var bytes = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"published {name}: {bytes / 1048576.0:F1} MiB (the image adds the aspnet runtime image)"));
            Assert.True(File.Exists(Path.Combine(folder, (name == "proxy" ? published.Proxy : published.Dashboard).Command[1])), $"{name}'s entry point is in its published output");
        }
    }

    [Fact]
    public void The_proxy_image_documents_its_environment_contract_and_sets_the_contracts_defaults()
    {
        var documented = string.Join("\n", published.Proxy.Comments);
        var variables = typeof(ProxyEnvironment).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && !f.Name.StartsWith("Default", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Concat([ProxyOptionsParser.UpstreamTimeoutVariable, ProxyOptionsParser.ShutdownGracePeriodVariable, ProxyOptionsParser.TapBufferVariable]);
        Assert.All(variables, v => Assert.Matches($@"(?m)^{v}\s+\S", documented));

        var env = published.Proxy.Environment;
        Assert.Equal(ProxyEnvironment.DefaultInboundListenAddr, env[ProxyEnvironment.InboundListenAddr]);
        Assert.Equal(ProxyEnvironment.DefaultOutboundListenAddr, env[ProxyEnvironment.OutboundListenAddr]);
        Assert.Equal(ProxyEnvironment.DefaultAdminListenAddr, env[ProxyEnvironment.AdminListenAddr]);
        Assert.Equal(ProxyEnvironment.DefaultTapListenAddr, env[ProxyEnvironment.TapListenAddr]);
        Assert.Equal(ProxyEnvironment.DefaultAppAddr, env[ProxyEnvironment.AppAddr]);
    }

    [Fact]
    public async Task The_published_proxy_starts_and_answers_its_health_check()
    {
        var admin = TestPorts.Free();
        await using var proxy = PublishedApp.Start(published.Proxy, published.ProxyOutput, AspNetBaseImage, new Dictionary<string, string>
        {
            [ProxyEnvironment.InboundListenAddr] = "127.0.0.1:0",
            [ProxyEnvironment.OutboundListenAddr] = "127.0.0.1:0",
            [ProxyEnvironment.TapListenAddr] = "127.0.0.1:0",
            [ProxyEnvironment.AdminListenAddr] = $"127.0.0.1:{admin}",
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var ready = await AnswerAsync(proxy, http, new Uri($"http://127.0.0.1:{admin}{published.Proxy.HealthCheckPath}"));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready\n", await ready.Content.ReadAsStringAsync(TestTimeouts.Token));
        Assert.Contains($"admin 127.0.0.1:{admin}", proxy.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Overriding", proxy.Output, StringComparison.Ordinal);

        // The image's own check, run as the engine runs it (the image has no wget or curl), passes and fails as it should.
        var healthy = await PublishedApp.CheckHealthAsync(published.Proxy, published.ProxyOutput, AspNetBaseImage,
            new Dictionary<string, string> { [ProxyEnvironment.AdminListenAddr] = $"127.0.0.1:{admin}" });
        Assert.True(healthy.ExitCode == 0, $"the HEALTHCHECK failed against the ready proxy (exit code {healthy.ExitCode}): {healthy.Output}");
        var nobody = await PublishedApp.CheckHealthAsync(published.Proxy, published.ProxyOutput, AspNetBaseImage,
            new Dictionary<string, string> { [ProxyEnvironment.AdminListenAddr] = $"127.0.0.1:{TestPorts.Free()}" });
        Assert.True(nobody.ExitCode != 0, "the HEALTHCHECK passed with no proxy on its admin port");
    }

    [Fact]
    public void The_proxy_image_is_Debian_with_its_iptables_and_runs_as_the_user_the_redirect_rules_exempt()
    {
        var runtime = published.Proxy.Runtime;

        // Debian's aspnet image (not -alpine): Debian's iptables package, which carries iptables-nft and iptables-legacy.
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", runtime[0].Arguments);
        var install = Assert.Single(runtime, i => i.Keyword == "RUN" && i.Arguments.Contains("apt-get install", StringComparison.Ordinal)).Arguments;
        Assert.Matches(@"apt-get install -y --no-install-recommends iptables(\s|$)", install);
        Assert.Contains("rm -rf /var/lib/apt/lists/*", install, StringComparison.Ordinal);
        Assert.DoesNotContain(runtime, i => i.Arguments.Contains("apk ", StringComparison.Ordinal));

        // The proxy's connections must not be redirected back to it: the image's user is the one init exempts and inject sets.
        var uid = ProxyInitFlags.DefaultProxyUid.ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"{uid}:{uid}", published.Proxy.Single("USER"));
        Assert.Equal(ProxyInitFlags.DefaultProxyUid, global::Dashboard.Cli.Inject.ProxySidecar.ProxyUid);
        Assert.Equal("bash", published.Proxy.HealthCheckCommand[0]);
    }

    [Fact]
    public async Task The_published_dashboard_serves_its_page_assets_health_check_and_probes()
    {
        var port = TestPorts.Free();
        await using var dashboard = PublishedApp.Start(published.Dashboard, published.DashboardOutput, AspNetBaseImage, new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
            // Nothing listens there: the page must render while Prometheus and the Kubernetes API are away.
            ["Dashboard__Prometheus__Url"] = $"http://127.0.0.1:{TestPorts.Free()}",
            ["Dashboard__Kubernetes__Url"] = $"http://127.0.0.1:{TestPorts.Free()}",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        var page = await AnswerAsync(dashboard, http, new Uri(http.BaseAddress, "/"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(TestTimeouts.Token);
        var assets = Asset().Matches(html).Select(m => m.Groups[1].Value).Where(a => !a.StartsWith("http", StringComparison.Ordinal)).ToList();
        Assert.Contains(assets, a => a.Contains("blazor.web", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync(asset.TrimStart('/'), TestTimeouts.Token).Within();
            Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}\n{dashboard.Output}");
        }

        using var health = await http.GetAsync(published.Dashboard.HealthCheckPath, TestTimeouts.Token).Within();
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var container = Packaged.ManifestObjects<V1Deployment>().Single(d => d.Metadata.Name == "dashboard").Spec.Template.Spec.Containers[0];
        foreach (var probe in new[] { container.ReadinessProbe.HttpGet, container.LivenessProbe.HttpGet })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, probe.Path);
            request.Headers.Host = probe.HttpHeaders.Single(h => h.Name == "Host").Value;
            using var answer = await http.SendAsync(request, TestTimeouts.Token).Within();
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        // What the kubelet would send without the Host header: the pod's IP, which the dashboard refuses.
        using var bare = new HttpRequestMessage(HttpMethod.Get, container.ReadinessProbe.HttpGet.Path);
        bare.Headers.Host = "10.1.2.3:8084";
        using var refused = await http.SendAsync(bare, TestTimeouts.Token).Within();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    /// <summary>Polls until the started app answers <paramref name="url"/>; fails with its output if it exits.</summary>
    private static async Task<HttpResponseMessage> AnswerAsync(CapturedProcess app, HttpClient http, Uri url)
    {
        HttpResponseMessage? response = null;
        await TestTimeouts.Eventually(async () =>
        {
            Assert.False(app.Process.HasExited, $"exited at start-up:\n{app.Output}");
            try
            {
                response = await http.GetAsync(url, TestTimeouts.Token);
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"{url} to answer", TestTimeouts.Slow);
        return response!;
    }

    [GeneratedRegex(@"(?:href|src)=""([^""#?]+\.(?:css|js))""")]
    private static partial Regex Asset();
}
