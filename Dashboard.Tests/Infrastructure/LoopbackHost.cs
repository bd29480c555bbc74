using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Tests.Infrastructure;

/// <summary>
/// The one way the tests start a server of their own: Kestrel on 127.0.0.1, on a port the OS picks unless one is
/// given, logging to the test's log (<see cref="TestLog"/>), stopped as a server shuts down, as YARP's functional tests build theirs
/// (<c>test/ReverseProxy.FunctionalTests/Common/TestEnvironment.cs</c>). The product's own hosts (the proxy, the
/// fleet) are started through their own types.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    /// <summary>How long a stopping host lets its requests finish (watches end on shutdown) before it cuts them.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private LoopbackHost(WebApplication app, string name)
    {
        App = app;
        Url = new Uri(app.Urls.Single());
        Name = name;
    }

    public WebApplication App { get; }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    public int Port => Url.Port;

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public IServiceProvider Services => App.Services;

    /// <summary>What the host stands for, in its log lines: "upstream", "kubernetes api".</summary>
    public string Name { get; }

    /// <param name="name">What the host stands for, in its log lines.</param>
    /// <param name="configure">The app's pipeline: middleware, endpoints.</param>
    /// <param name="services">Services and configuration, before the app is built.</param>
    /// <param name="port">A port chosen by the test (a server that goes away and comes back at one address); 0: the OS picks.</param>
    /// <param name="listen">The listener's protocols and TLS.</param>
    public static async Task<LoopbackHost> StartAsync(string name, Action<WebApplication> configure, Action<WebApplicationBuilder>? services = null,
        int port = 0, Action<ListenOptions>? listen = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        TestLog.For(name).AddTo(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, l => listen?.Invoke(l)));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        services?.Invoke(builder);
        var app = builder.Build();
        configure(app);
        await app.StartAsync(TestTimeouts.Token).Within();
        return new LoopbackHost(app, name);
    }

    public HttpClient CreateClient() => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        BaseAddress = Url,
        Timeout = TestTimeouts.Default,
    };

    /// <summary>Stops as a server shutting down does: requests in flight get <see cref="ShutdownTimeout"/> to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None).Within();
        await App.DisposeAsync();
    }
}
