using System.Net;
using Dashboard.Proxy.Discovery;
using k8s;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// The destination service: one list and watch of the Kubernetes API (<see cref="KubernetesDestinationDiscovery"/>, the
/// code a proxy watching by itself runs) behind a gRPC endpoint (prior-knowledge HTTP/2) that proxies subscribe to.
/// </summary>
public sealed class DestinationServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly KubernetesDestinationDiscovery _discovery;

    private DestinationServiceHost(WebApplication app, KubernetesDestinationDiscovery discovery, IPEndPoint bound)
    {
        _app = app;
        _discovery = discovery;
        BoundEndPoint = bound;
        Streams = app.Services.GetRequiredService<DestinationStreams>();
    }

    /// <summary>The streams open now, per target.</summary>
    public DestinationStreams Streams { get; }

    /// <summary>The address it listens on (the real port when configured with port 0).</summary>
    public IPEndPoint BoundEndPoint { get; }

    /// <summary>Whether the first full list of Services, EndpointSlices and Pods has arrived.</summary>
    public bool IsSynced => _discovery.IsSynced;

    /// <param name="kubernetes">The API to watch; by default from <see cref="DestinationOptions.KubernetesApi"/> or in-cluster.</param>
    public static async Task<DestinationServiceHost> StartAsync(DestinationOptions options, IKubernetes? kubernetes = null,
        Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Proxies speak gRPC to it without TLS for now: prior-knowledge HTTP/2 only.
            kestrel.Listen(options.Listen, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<DestinationStreams>();
        builder.Services.AddSingleton(services => new KubernetesDestinationDiscovery(kubernetes ?? Hosting.KubernetesClients.Create(options.KubernetesApi),
            "default", services.GetRequiredService<ILogger<KubernetesDestinationDiscovery>>(), options.ClusterDomain, trustDomain: options.TrustDomain));

        var app = builder.Build();
        app.MapGrpcService<DestinationGrpcService>();
        // Built now, so it lists and watches from the start rather than at the first call; the container disposes it.
        var discovery = app.Services.GetRequiredService<KubernetesDestinationDiscovery>();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new DestinationServiceHost(app, discovery, IPEndPoint.Parse(new Uri(app.Urls.First()).Authority));
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        // Stopping ends the streams (they watch ApplicationStopping); disposing the container then stops the watches.
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
