using Dashboard.Contracts.Identity;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Forwarding;
using Dashboard.Proxy.MeshIdentity;
using Dashboard.Proxy.Metrics;
using Dashboard.Proxy.Tap;
using Yarp.ReverseProxy.Forwarder;

namespace Dashboard.Proxy.Hosting;

/// <summary>
/// Everything one proxy (one pod's sidecar) owns: its options, metrics registry, tap subscribers,
/// discovery, identity and data plane. Many can live in one process. Each listener's handler gets only
/// the pieces it needs from here.
/// </summary>
public sealed class ProxyInstance : IAsyncDisposable
{
    private readonly IdentityServiceClient? _identityClient;
    private readonly ILoggerFactory _loggers;

    /// <param name="certificates">Where certificates come from when <see cref="ProxyOptions.Identity"/> is set; by default its identity endpoint.</param>
    public ProxyInstance(ProxyOptions options, IDestinationResolver resolver, ILoggerFactory loggerFactory, TimeProvider? time = null,
        ICertificateSource? certificates = null)
    {
        Options = options;
        Resolver = resolver;
        _loggers = loggerFactory;
        time ??= TimeProvider.System;
        Time = time;
        AppPort = Authority.TryParse(options.AppAddress, out var app) ? app.Port : 0;
        Metrics = new ProxyMetrics(options.AppAddress, identity: options.Identity is not null, options.InboundListen.ToString());
        Tap = new TapBroker(options.TapBufferCapacity, time, () => Metrics.TapDropped.Inc());
        if (resolver is DestinationServiceResolver destination)
        {
            ControlMetrics.Register(Metrics.Registry, destination.Health);
        }
        if (options.Identity is { } identity)
        {
            certificates ??= _identityClient = new IdentityServiceClient(identity);
            Identity = new WorkloadIdentity(identity.LocalName, identity.TrustAnchors, certificates, time,
                loggerFactory.CreateLogger<WorkloadIdentity>(), c => Metrics.CertificateRenewed(c.NotAfter));
            Tls = new MeshTls(Identity, Metrics, time, loggerFactory.CreateLogger<MeshTls>(), options.TapServiceName);
        }
    }

    public ProxyOptions Options { get; }
    /// <summary>The clock of its timeouts (protocol detection, certificate renewal, tap budgets).</summary>
    internal TimeProvider Time { get; }
    /// <summary>The port of <see cref="ProxyOptions.AppAddress"/>: the app's port of a connection that was not redirected.</summary>
    internal int AppPort { get; }
    public ProxyMetrics Metrics { get; }
    public TapBroker Tap { get; }
    public IDestinationResolver Resolver { get; }
    /// <summary>This proxy's identity and certificate; null when it runs without.</summary>
    public WorkloadIdentity? Identity { get; }
    internal MeshTls? Tls { get; }
    internal DataPlane? DataPlane { get; private set; }

    /// <summary>Listeners bound, discovery synced and, with an identity, a certificate in hand: the proxy can route.</summary>
    public bool IsReady => DataPlane is not null && Resolver.IsSynced && (Identity is null || Identity.Current is not null);

    /// <summary>What <c>/ready</c> adds while the proxy is ready: the destination service unreachable; null when all is well.</summary>
    public string? ReadyNote => (Resolver as DestinationServiceResolver)?.Health.UnreachableNote();

    /// <summary>Fires when the host begins to stop: connections that have sent nothing yet are closed rather than waited for.</summary>
    internal CancellationToken Stopping { get; private set; }

    internal void Start(IHttpForwarder forwarder, CancellationToken stopping)
    {
        Stopping = stopping;
        DataPlane = new DataPlane(Options, Metrics, Tap, Resolver, Tls, forwarder, _loggers.CreateLogger<DataPlane>());
    }

    public async ValueTask DisposeAsync()
    {
        Tap.CompleteAll();
        DataPlane?.Dispose();
        if (Identity is not null)
        {
            await Identity.DisposeAsync();
        }

        _identityClient?.Dispose();
        if (Resolver is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
