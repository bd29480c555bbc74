using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Tap;
using Dashboard.Proxy.Admin;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.MeshIdentity;
using Dashboard.Proxy.Tap;
using k8s;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Yarp.ReverseProxy.Forwarder;

namespace Dashboard.Proxy.Hosting;

/// <summary>
/// One Kestrel server hosting any number of proxy instances (one for a sidecar, many for the fleet), plus
/// optional listeners of the host's own. Each listener tags its connections with a <see cref="ListenerBinding"/>;
/// a single dispatch middleware sends each request to its instance's data plane, admin or tap.
/// </summary>
public sealed class ProxyHost : IAsyncDisposable
{
    private readonly List<ProxyInstance> _proxies = [];
    private readonly List<(IPEndPoint EndPoint, ListenerBinding Binding)> _listeners = [];
    private readonly Dictionary<(ProxyInstance, ListenerKind), ListenOptions> _bound = [];
    private ConnectionDelegate? _http2Pipeline;
    private ConnectionDelegate? _tlsPipeline;
    private KestrelServerOptions _kestrel = null!;

    private ProxyHost(WebApplication app) => App = app;

    public WebApplication App { get; }
    public IReadOnlyList<ProxyInstance> Proxies => _proxies;

    public static ProxyHost Create(TimeSpan shutdownGracePeriod, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // YARP logs two lines per forwarded request at Information: a third of the proxy's CPU (bench/proxy.sh).
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownGracePeriod);
        builder.Services.AddHttpForwarder();
        builder.Services.AddSignalR().AddMessagePackProtocol();
        configure?.Invoke(builder);
        KestrelServerOptions? kestrelOptions = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Over mesh TLS the client's :scheme stays "http": the TLS is the mesh's, not the application's.
            kestrel.AllowAlternateSchemes = true;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrelOptions = kestrel;
        });

        // Building resolves Kestrel's options; listeners are added to them in StartAsync, before binding.
        var host = new ProxyHost(builder.Build());
        host._kestrel = kestrelOptions ?? throw new InvalidOperationException("Kestrel options were not created");
        host.ConfigurePipeline();
        return host;
    }

    /// <summary>Adds a proxy instance; its discovery comes from its options (Kubernetes API, in-cluster, or DNS only).</summary>
    /// <param name="certificates">Where its workload certificates come from when it has an identity; by default the identity endpoint of its options.</param>
    public ProxyInstance AddProxy(ProxyOptions options, IDestinationResolver? resolver = null, TimeProvider? time = null, ICertificateSource? certificates = null)
    {
        var loggers = App.Services.GetRequiredService<ILoggerFactory>();
        ProxyInstance? proxy = null;
        // The destination service is dialled over the proxy's own mesh TLS, made with the instance below; the first dial comes later.
        resolver ??= CreateResolver(options, loggers, time, () => proxy!.Tls);
        proxy = new ProxyInstance(options, resolver, loggers, time, certificates);
        _proxies.Add(proxy);
        _listeners.Add((options.InboundListen, new ListenerBinding(ListenerKind.Inbound, proxy)));
        _listeners.Add((options.OutboundListen, new ListenerBinding(ListenerKind.Outbound, proxy)));
        _listeners.Add((options.AdminListen, new ListenerBinding(ListenerKind.Admin, proxy)));
        _listeners.Add((options.TapListen, new ListenerBinding(ListenerKind.Tap, proxy)));
        return proxy;
    }

    /// <summary>Adds a listener of the host's own, served by <paramref name="handler"/>.</summary>
    public void AddListener(IPEndPoint endPoint, RequestDelegate handler) =>
        _listeners.Add((endPoint, new ListenerBinding(ListenerKind.Custom, null, handler)));

    /// <summary>The address a proxy's listener is bound to (the real port when configured with port 0).</summary>
    public IPEndPoint BoundEndPoint(ProxyInstance proxy, ListenerKind kind) => _bound[(proxy, kind)].IPEndPoint!;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var forwarder = App.Services.GetRequiredService<IHttpForwarder>();
        foreach (var proxy in _proxies)
        {
            proxy.Start(forwarder, App.Lifetime.ApplicationStopping);
            proxy.Identity?.Start();
        }

        ConfigureListeners(_kestrel);
        App.Lifetime.ApplicationStopping.Register(() => _proxies.ForEach(p => p.Tap.CompleteAll()));
        await App.StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        await App.DisposeAsync();
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }
    }

    private static IDestinationResolver CreateResolver(ProxyOptions options, ILoggerFactory loggers, TimeProvider? time, Func<MeshTls?> tls) =>
        options.DestinationService is { } destination ? CreateDestinationServiceResolver(options, destination, loggers, time, tls)
        : options.KubernetesApi is null ? DnsOnlyResolver.Instance
        : CreateKubernetesResolver(options, loggers);

    private static DestinationServiceResolver CreateDestinationServiceResolver(ProxyOptions options, string address, ILoggerFactory loggers, TimeProvider? time,
        Func<MeshTls?> tls)
    {
        // With an identity, the service checks that the caller speaks for its certificate: its identity, and that identity's namespace.
        var identityNamespace = IdentityNames.TryParse(options.Identity?.LocalName, out _, out var ns, out _) ? ns : null;
        var caller = new Contracts.Destination.Caller
        {
            Namespace = options.PodNamespace ?? identityNamespace ?? "",
            Pod = options.PodName ?? "",
            Identity = options.Identity?.LocalName ?? "",
        };
        Func<Stream, CancellationToken, ValueTask<Stream>>? secure = options.DestinationServiceName is { } serverName
            ? (transport, ct) => tls()!.ConnectAsync(transport, address, serverName, MeshTls.Http2, ct)
            : null;
        return new(address, caller, loggers, time, secure: secure, idleTimeout: options.DestinationIdleTimeout);
    }

    // Kept apart so a DNS-only proxy never loads KubernetesClient (3 MB of resident assembly).
    private static KubernetesDestinationDiscovery CreateKubernetesResolver(ProxyOptions options, ILoggerFactory loggers)
    {
        return new KubernetesDestinationDiscovery(KubernetesClients.Create(options.KubernetesApi), options.PodNamespace ?? "default", loggers.CreateLogger<KubernetesDestinationDiscovery>(),
            trustDomain: options.Identity?.TrustDomain ?? IdentityNames.DefaultTrustDomain);
    }

    private void ConfigureListeners(KestrelServerOptions kestrel)
    {
        // An HTTP/2-only pipeline on a loopback port of its own, to which inbound connections that open
        // with the HTTP/2 preface are handed (see ConnectionMiddleware.Detect).
        kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next => _http2Pipeline = next);
        });

        if (_proxies.Any(p => p.Tls is not null))
        {
            // Likewise a TLS pipeline (Kestrel's TLS, then HTTP/1.1 or HTTP/2 by ALPN), to which inbound connections
            // that open with a TLS ClientHello are handed; each handshake takes the options of the proxy it arrived at.
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(next => _tlsPipeline = next);
                listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = ServerOptions });
                listen.Use(ConnectionMiddleware.Accepted);
            });
        }

        foreach (var (endPoint, binding) in _listeners)
        {
            kestrel.Listen(endPoint, listen =>
            {
                var proxy = binding.Proxy;
                // HTTP/2 on the data plane is detected per connection (below); Kestrel itself would only pick HTTP/1.1 here.
                listen.Protocols = HttpProtocols.Http1;
                // Inbound connections are counted once their protocol (and, for mTLS, their peer) is known.
                var series = binding.Kind == ListenerKind.Outbound ? proxy!.Metrics.OutboundSourceTcp : null;
                listen.Use(next => ConnectionMiddleware.Tag(next, binding, series));
                // The tap port of a proxy with an identity also serves mesh TLS, for a subscriber proving the tap client's identity.
                if (binding.Kind is ListenerKind.Inbound or ListenerKind.Outbound || (binding.Kind == ListenerKind.Tap && proxy!.Tls is not null))
                {
                    listen.Use(next => ConnectionMiddleware.Detect(next, () => _http2Pipeline, () => _tlsPipeline));
                }

                if (proxy is not null)
                {
                    _bound[(proxy, binding.Kind)] = listen;
                }
            });
        }
    }

    private static ValueTask<SslServerAuthenticationOptions> ServerOptions(TlsHandshakeCallbackContext context)
    {
        var connection = context.Connection;
        if (connection.Features.Get<ListenerBinding>()?.Proxy?.Tls is not { } tls || connection.Features.Get<InboundHandshake>() is not { } handshake)
        {
            throw new AuthenticationException("TLS is served only on the inbound and tap ports of a proxy with an identity");
        }

        return ValueTask.FromResult(tls.ServerOptions(connection, handshake));
    }

    private void ConfigurePipeline()
    {
        App.Use((context, next) =>
        {
            var binding = context.Features.Get<ListenerBinding>();
            return binding?.Kind switch
            {
                ListenerKind.Inbound => binding.Proxy!.DataPlane!.InboundAsync(context),
                ListenerKind.Outbound => binding.Proxy!.DataPlane!.OutboundAsync(context),
                ListenerKind.Admin => AdminEndpoints.HandleAsync(context, binding.Proxy!.Metrics.Registry, binding.Proxy.IsReady, binding.Proxy.ReadyNote),
                ListenerKind.Tap => TapAuthentication.HandleAsync(context, binding.Proxy!.Options, next),
                ListenerKind.Custom => binding.Handler!(context),
                _ => NotFound(context),
            };
        });
        App.UseRouting();
        App.MapHub<TapHub>(TapRoutes.HubPath);
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
