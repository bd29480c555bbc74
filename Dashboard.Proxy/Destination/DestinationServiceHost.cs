using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Dashboard.Contracts.Identity;
using Dashboard.Proxy.Admin;
using Dashboard.Proxy.Discovery;
using k8s;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// The destination service: one list and watch of the Kubernetes API (<see cref="KubernetesDestinationDiscovery"/>, the
/// code a proxy watching by itself runs) behind a gRPC endpoint (HTTP/2) that proxies subscribe to, plus an admin
/// listener for probes and Prometheus. With an identity (<see cref="DestinationOptions.Identity"/>) the gRPC port serves
/// mTLS with the service's workload certificate, renewed like a proxy's, and authorizes each caller by its certificate's
/// identity (<see cref="DestinationCallers"/>); without one it serves prior-knowledge HTTP/2 in plaintext (local use).
/// </summary>
public sealed partial class DestinationServiceHost : IAsyncDisposable
{
    private const string AdminItem = "Dashboard.Destination.Admin";
    private readonly WebApplication _app;
    private readonly KubernetesDestinationDiscovery _discovery;
    private readonly IdentityServiceClient? _identityClient;

    private DestinationServiceHost(WebApplication app, KubernetesDestinationDiscovery discovery, WorkloadIdentity? identity, IdentityServiceClient? identityClient,
        DestinationOptions options)
    {
        _app = app;
        _discovery = discovery;
        _identityClient = identityClient;
        Identity = identity;
        BoundEndPoint = options.Listen;
        AdminEndPoint = options.Admin;
        Streams = app.Services.GetRequiredService<DestinationStreams>();
        Metrics = app.Services.GetRequiredService<DestinationMetrics>();
    }

    /// <summary>The streams open now, per target.</summary>
    public DestinationStreams Streams { get; }

    public DestinationMetrics Metrics { get; }

    /// <summary>The service's identity and certificate; null when it serves plaintext.</summary>
    public WorkloadIdentity? Identity { get; }

    /// <summary>The address of the gRPC listener (the real port when configured with port 0).</summary>
    public IPEndPoint BoundEndPoint { get; private set; }

    /// <summary>The address of the admin listener (<c>/ready</c>, <c>/live</c>, <c>/metrics</c>); null when it runs none.</summary>
    public IPEndPoint? AdminEndPoint { get; private set; }

    /// <summary>Whether the first full list of Services, EndpointSlices and Pods has arrived.</summary>
    public bool IsSynced => _discovery.IsSynced;

    /// <summary>Why <c>/ready</c> answers 503 now, or null once it answers 200.</summary>
    public string? NotReady => !_discovery.IsSynced ? "the first list of Services, EndpointSlices and Pods from the Kubernetes API has not arrived yet"
        : Identity is { Current: null } ? $"no workload certificate yet for {Identity.Name} (the identity endpoint has not issued one)"
        : null;

    /// <param name="kubernetes">The API to watch; by default from <see cref="DestinationOptions.KubernetesApi"/> or in-cluster.</param>
    /// <param name="certificates">Where its certificates come from when it has an identity; by default the identity endpoint of its options.</param>
    public static async Task<DestinationServiceHost> StartAsync(DestinationOptions options, IKubernetes? kubernetes = null,
        Action<ILoggingBuilder>? logging = null, ICertificateSource? certificates = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        // Hosting's request diagnostics off: with that logger on (at any level), each stream would hold an Activity and
        // a log scope for its whole life, which a destination stream lives (thousands open, most of the service's memory).
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        logging?.Invoke(builder.Logging);
        if (!options.StopsOnSignal)
        {
            builder.Services.AddSingleton<IHostLifetime, HostedLifetime>();
        }

        WorkloadIdentity? identity = null;
        ListenOptions grpc = null!;
        ListenOptions? admin = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Proxies make the mesh's TLS themselves and speak HTTP/2 over it with :scheme "http", as to any meshed peer.
            kestrel.AllowAlternateSchemes = true;
            // No HPACK dynamic table for proxies' requests: each connection would keep up to 4 KiB of header copies for
            // the few stream openings it ever decodes (one per destination), at a thousand connections and more.
            kestrel.Limits.Http2.HeaderTableSize = 0;
            kestrel.Listen(options.Listen, listen =>
            {
                grpc = listen;
                listen.Protocols = HttpProtocols.Http2;
                if (options.Identity is not null)
                {
                    // Options per handshake: a renewed certificate is presented from the next connection on, without a restart.
                    listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = c => ValueTask.FromResult(ServerTls(identity!, c.Connection)) });
                }
            });
            if (options.Admin is { } adminAddress)
            {
                kestrel.Listen(adminAddress, listen =>
                {
                    admin = listen;
                    listen.Protocols = HttpProtocols.Http1;
                    listen.Use(next => connection =>
                    {
                        connection.Items[AdminItem] = true;
                        return next(connection);
                    });
                });
            }
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<DestinationStreams>();
        builder.Services.AddSingleton<DestinationTargets>();
        builder.Services.AddSingleton<DestinationMetrics>();
        builder.Services.AddSingleton(services => new DestinationCallers(identity, services.GetRequiredService<DestinationMetrics>(),
            services.GetRequiredService<ILogger<DestinationCallers>>()));
        builder.Services.AddSingleton(services => new KubernetesDestinationDiscovery(kubernetes ?? Hosting.KubernetesClients.Create(options.KubernetesApi),
            "default", services.GetRequiredService<ILogger<KubernetesDestinationDiscovery>>(), options.ClusterDomain, trustDomain: options.TrustDomain));

        var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger<DestinationServiceHost>();
        IdentityServiceClient? identityClient = null;
        if (options.Identity is { } identityOptions)
        {
            certificates ??= identityClient = new IdentityServiceClient(identityOptions);
            identity = new WorkloadIdentity(identityOptions.LocalName, identityOptions.TrustAnchors, certificates, time, loggers.CreateLogger<WorkloadIdentity>());
        }
        else
        {
            LogPlaintext(logger);
        }

        DestinationServiceHost? host = null;
        app.MapWhen(c => c.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(AdminItem) == true,
            branch => branch.Run(c => AdminEndpoints.HandleAsync(c, host!.Metrics.Registry, host.NotReady)));
        app.MapGrpcService<DestinationGrpcService>();
        // Built now, so it lists and watches from the start rather than at the first call; the container disposes it.
        var discovery = app.Services.GetRequiredService<KubernetesDestinationDiscovery>();
        try
        {
            host = new DestinationServiceHost(app, discovery, identity, identityClient, options);
            identity?.Start();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await DisposeIdentityAsync(identity, identityClient).ConfigureAwait(false);
            throw;
        }

        (host.BoundEndPoint, host.AdminEndPoint) = (grpc.IPEndPoint!, admin?.IPEndPoint);
        return host;
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        // Stopping ends the streams (they watch ApplicationStopping); disposing the container then stops the watches.
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await DisposeIdentityAsync(Identity, _identityClient).ConfigureAwait(false);
    }

    private static async ValueTask DisposeIdentityAsync(WorkloadIdentity? identity, IdentityServiceClient? client)
    {
        if (identity is not null)
        {
            await identity.DisposeAsync().ConfigureAwait(false);
        }

        client?.Dispose();
    }

    /// <summary>
    /// One handshake of the gRPC port: the current certificate, ALPN h2, and a client certificate required. The handshake
    /// completes whatever the client presents; its verdict is kept on the connection and each request is refused with it
    /// (<see cref="DestinationCallers.Authorize"/>), so a refused caller reads why in its gRPC status rather than a bare TLS alert.
    /// </summary>
    private static SslServerAuthenticationOptions ServerTls(WorkloadIdentity identity, ConnectionContext connection)
    {
        var current = identity.Current ?? throw new AuthenticationException($"the destination service has no workload certificate yet for {identity.Name}");
        return identity.ServerOptions(current, verdict => DestinationCallers.Remember(connection, verdict), MeshIdentity.MeshTls.Http2);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No identity configured: the destination service serves plaintext gRPC and does not authenticate its callers (set the trust anchors for mTLS)")]
    private static partial void LogPlaintext(ILogger logger);

    /// <summary>The lifetime of a service hosted inside another process: no signal handling of its own.</summary>
    private sealed class HostedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
