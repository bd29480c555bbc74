using System.Net;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DestinationBench;

/// <summary>
/// The Kubernetes API on 127.0.0.1 (a free port): <see cref="KubernetesApiServer"/> over the store, with a middleware in
/// front counting the list and watch requests it serves of Services, EndpointSlices and Pods.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private static readonly HashSet<string> Watched = new(["services", "endpointslices", "pods"], StringComparer.Ordinal);
    private readonly WebApplication _app;
    private long _watches;
    private long _lists;
    private long _open;

    private ApiHost(WebApplication app)
    {
        _app = app;
        Url = app.Urls.Single().TrimEnd('/');
    }

    public string Url { get; }

    /// <summary>Watch requests served so far (each a long-lived stream).</summary>
    public long Watches => Interlocked.Read(ref _watches);

    /// <summary>List requests served so far.</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Watches open now.</summary>
    public long OpenWatches => Interlocked.Read(ref _open);

    public static async Task<ApiHost> StartAsync(KubeStore store)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        // SIGTERM (the script stopping) ends the driver, not just this host: the driver's exit stops the service it started.
        builder.Services.AddSingleton<IHostLifetime, DriverLifetime>();
        var app = builder.Build();
        var server = new KubernetesApiServer(store);
        ApiHost? host = null;
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            var resource = path[(path.LastIndexOf('/') + 1)..];
            if (!Watched.Contains(resource))
            {
                await next(context);
                return;
            }

            if (context.Request.Query["watch"] is var w && (w == "true" || w == "1"))
            {
                Interlocked.Increment(ref host!._watches);
                Interlocked.Increment(ref host._open);
                try
                {
                    await next(context);
                }
                finally
                {
                    Interlocked.Decrement(ref host._open);
                }

                return;
            }

            Interlocked.Increment(ref host!._lists);
            await next(context);
        });
        app.Run(server.HandleAsync);
        await app.StartAsync();
        host = new ApiHost(app);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A lifetime that leaves the process's signals alone (the default one would catch SIGTERM and SIGINT to stop the host).</summary>
    private sealed class DriverLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
