using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Dashboard.Tests.Infrastructure;

/// <summary>A real HTTP server on a loopback port, standing for the application behind a proxy.</summary>
public sealed class Upstream : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private Upstream(LoopbackHost host) => _host = host;

    public int Port => _host.Port;
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<Upstream> StartAsync(RequestDelegate handler, HttpProtocols protocols = HttpProtocols.Http1) =>
        new(await LoopbackHost.StartAsync("upstream", app =>
        {
            app.UseWebSockets();
            app.Run(handler);
        }, listen: l => l.Protocols = protocols));

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
