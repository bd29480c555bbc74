using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Tap;
using Dashboard.Tests.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Tap;

/// <summary>
/// A real identity endpoint and a real proxy process certified by it (pod shop/web-0, ServiceAccount web), with a tap
/// token too; workloads that tap it get their certificates from the same endpoint, as the dashboard does in a cluster.
/// </summary>
public sealed class IdentityTapFixture : IAsyncLifetime
{
    public const string Token = "plaintext-tap-token";
    public const string Pod = "web-0";
    public static readonly string ProxyIdentity = IdentityNames.Format("web", "shop");
    public static readonly string DashboardIdentity = ProxyEnvironment.DefaultTapServiceName(IdentityNames.DefaultTrustDomain);
    public static readonly string OtherIdentity = IdentityNames.Format("ml", "default");

    public TestIdentityEndpoint Identity { get; private set; } = null!;
    public Upstream App { get; private set; } = null!;
    public ProxyProcess Proxy { get; private set; } = null!;
    public Dictionary<string, string> Environment { get; private set; } = null!;
    public Uri TapHub => new($"http://{Environment[ProxyEnvironment.TapListenAddr]}/tap");
    public HttpClient Inbound { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Identity = await TestIdentityEndpoint.StartAsync(new Dictionary<string, string>
        {
            ["token-web"] = "system:serviceaccount:shop:web",
            ["token-dashboard"] = "system:serviceaccount:linkerd:dashboard",
            ["token-ml"] = "system:serviceaccount:default:ml",
        });
        App = await Upstream.StartAsync(c => c.Response.WriteAsync("from web"));
        Environment = ProxyEnvironmentFor(App.Address);
        Environment[ProxyEnvironment.TapToken] = Token;
        Proxy = ProxyProcess.Start(Environment);
        await Proxy.Started.Within(TestTimeouts.Slow);
        Inbound = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri($"http://{Environment[ProxyEnvironment.InboundListenAddr]}"),
            Timeout = TestTimeouts.Default,
        };
        using var admin = new HttpClient { BaseAddress = new Uri($"http://{Environment[ProxyEnvironment.AdminListenAddr]}"), Timeout = TestTimeouts.Default };
        // Ready once it holds its certificate: only then does its tap port serve TLS.
        await TestTimeouts.Eventually(async () => (await admin.GetAsync("/ready", TestTimeouts.Token)).IsSuccessStatusCode, "the proxy to hold its certificate");
    }

    /// <summary>A proxy's environment on free loopback ports, with the identity of ServiceAccount web in shop.</summary>
    public Dictionary<string, string> ProxyEnvironmentFor(string app)
    {
        var env = Identity.ProxyEnvironmentFor(ProxyIdentity, "token-web");
        env[ProxyEnvironment.InboundListenAddr] = $"127.0.0.1:{TestPorts.Free()}";
        env[ProxyEnvironment.OutboundListenAddr] = $"127.0.0.1:{TestPorts.Free()}";
        env[ProxyEnvironment.AdminListenAddr] = $"127.0.0.1:{TestPorts.Free()}";
        env[ProxyEnvironment.TapListenAddr] = $"127.0.0.1:{TestPorts.Free()}";
        env[ProxyEnvironment.AppAddr] = app;
        return env;
    }

    /// <summary>The dashboard's identity holder for <paramref name="identity"/>, proved by <paramref name="token"/>, with its first certificate.</summary>
    public async Task<TapClientIdentity> ClientIdentityAsync(string identity, string token, TimeProvider? time = null)
    {
        var settings = FakeTapService.Settings(null) with { Identity = Identity.OptionsFor(identity, token) };
        var client = new TapClientIdentity(settings, time ?? TimeProvider.System, NullLogger<WorkloadIdentity>.Instance);
        await client.StartAsync(TestTimeouts.Token);
        await client.Identity!.WaitForCertificateAsync(TestTimeouts.Token).Within();
        return client;
    }

    /// <summary>A tap of the proxy's pod, read in the background; <paramref name="serviceAccount"/> names the identity its proxy must prove.</summary>
    internal TapRecorder Tap(TapConnectionOptions options, string serviceAccount = "web")
    {
        var target = new TapTarget("shop", Pod, TapHub) { ServiceAccount = serviceAccount };
        var session = new TapSession(new TapQuery { Namespace = "shop" }, new TapTargets([target], []), options, TimeProvider.System, NullLogger.Instance);
        session.Start();
        return new TapRecorder(session);
    }

    public async ValueTask DisposeAsync()
    {
        Inbound?.Dispose();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        await (App?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (Identity?.DisposeAsync() ?? ValueTask.CompletedTask);
    }
}
