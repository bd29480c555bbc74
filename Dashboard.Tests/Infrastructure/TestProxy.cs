using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Hosting;

namespace Dashboard.Tests.Infrastructure;

/// <summary>A real proxy host on loopback ports chosen by the OS, with clients for each of its listeners.</summary>
public sealed class TestProxy : IAsyncDisposable
{
    public const string TapToken = "test-tap-token";

    private TestProxy(ProxyHost host, ProxyInstance proxy)
    {
        Host = host;
        Instance = proxy;
        Inbound = Client(ListenerKind.Inbound);
        Outbound = Client(ListenerKind.Outbound);
        Admin = Client(ListenerKind.Admin);
    }

    public ProxyHost Host { get; }
    public ProxyInstance Instance { get; }
    public HttpClient Inbound { get; }
    public HttpClient Outbound { get; }
    public HttpClient Admin { get; }

    public Uri TapHubUrl => new($"http://{Host.BoundEndPoint(Instance, ListenerKind.Tap)}/tap");

    public Uri BaseUri(ListenerKind kind) => new($"http://{Host.BoundEndPoint(Instance, kind)}");

    /// <param name="certificates">Where a proxy with an identity gets its certificates (instead of an identity endpoint).</param>
    /// <param name="logs">Receives what the proxy logs.</param>
    public static async Task<TestProxy> StartAsync(string appAddress, IReadOnlyDictionary<string, string>? environment = null, IDestinationResolver? resolver = null,
        TimeProvider? time = null, ICertificateSource? certificates = null, LogCapture? logs = null)
    {
        var env = new Dictionary<string, string>
        {
            [ProxyEnvironment.InboundListenAddr] = "127.0.0.1:0",
            [ProxyEnvironment.OutboundListenAddr] = "127.0.0.1:0",
            [ProxyEnvironment.AdminListenAddr] = "127.0.0.1:0",
            [ProxyEnvironment.TapListenAddr] = "127.0.0.1:0",
            [ProxyEnvironment.AppAddr] = appAddress,
            [ProxyEnvironment.TapToken] = TapToken,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var (options, errors) = ProxyOptionsParser.Parse(name => env.GetValueOrDefault(name));
        Assert.True(options is not null, string.Join("; ", errors));
        var host = ProxyHost.Create(options.ShutdownGracePeriod, b =>
        {
            TestLog.For("proxy").AddTo(b.Logging);
            if (logs is not null)
            {
                b.Logging.AddProvider(logs);
            }
        });
        var proxy = host.AddProxy(options, resolver, time, certificates);
        await host.StartAsync(TestTimeouts.Token).Within();
        return new TestProxy(host, proxy);
    }

    public async Task<MetricSet> ScrapeAsync() =>
        new(await Admin.GetStringAsync("/metrics", TestTimeouts.Token).Within());

    /// <summary>
    /// Scrapes once every request has its response counted. A response is counted when the proxy finishes
    /// it, a moment after the client has read its last byte.
    /// </summary>
    public async Task<MetricSet> ScrapeSettledAsync()
    {
        MetricSet? metrics = null;
        await TestTimeouts.Eventually(async () =>
        {
            metrics = await ScrapeAsync();
            return metrics.Sum(Contracts.Metrics.MetricNames.RequestTotal) == metrics.Sum(Contracts.Metrics.MetricNames.ResponseTotal);
        }, "every request's response to be counted");
        return metrics!;
    }

    public async ValueTask DisposeAsync()
    {
        Inbound.Dispose();
        Outbound.Dispose();
        Admin.Dispose();
        await Host.DisposeAsync();
    }

    private HttpClient Client(ListenerKind kind) => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        BaseAddress = BaseUri(kind),
        Timeout = TestTimeouts.Default,
    };
}
