using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Infrastructure;

/// <summary>A real HTTP server on a loopback port, standing for the application behind a proxy.</summary>
public sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Upstream(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<Upstream> StartAsync(RequestDelegate handler, HttpProtocols protocols = HttpProtocols.Http1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = protocols));
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(handler);
        await app.StartAsync().Within();
        return new Upstream(app, new Uri(app.Urls.First()).Port);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
