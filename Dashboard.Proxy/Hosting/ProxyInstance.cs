using System.Net;
using System.Net.Sockets;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Forwarding;
using Dashboard.Proxy.MeshIdentity;
using Dashboard.Proxy.Metrics;
using Dashboard.Proxy.Tap;
using Yarp.ReverseProxy.Forwarder;

namespace Dashboard.Proxy.Hosting;

/// <summary>
/// Everything one proxy (one pod's sidecar) owns: its options, metrics registry, tap subscribers,
/// discovery, identity and HTTP clients. Many can live in one process.
/// </summary>
public sealed class ProxyInstance : IAsyncDisposable
{
    private readonly IdentityServiceClient? _identityClient;

    /// <param name="certificates">Where certificates come from when <see cref="ProxyOptions.Identity"/> is set; by default its identity endpoint.</param>
    public ProxyInstance(ProxyOptions options, IDestinationResolver resolver, ILoggerFactory loggerFactory, TimeProvider? time = null,
        ICertificateSource? certificates = null)
    {
        Options = options;
        Resolver = resolver;
        LoggerFactory = loggerFactory;
        time ??= TimeProvider.System;
        Metrics = new ProxyMetrics(options.AppAddress, identity: options.Identity is not null, options.InboundListen.ToString());
        Tap = new TapBroker(options.TapBufferCapacity, time, () => Metrics.TapDropped.Inc());
        PodLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.PodNamespace is { } ns)
        {
            PodLabels["namespace"] = ns;
        }

        if (options.PodName is { } pod)
        {
            PodLabels["pod"] = pod;
        }

        if (options.Identity is { } identity)
        {
            certificates ??= _identityClient = new IdentityServiceClient(identity);
            Identity = new WorkloadIdentity(identity.LocalName, identity.TrustAnchors, certificates, time,
                loggerFactory.CreateLogger<WorkloadIdentity>(), c => Metrics.CertificateRenewed(c.NotAfter));
            Tls = new MeshTls(Identity, Metrics, time, loggerFactory.CreateLogger<MeshTls>());
        }

        InboundClient = CreateClient(_ => Metrics.InboundDestinationTcp, null);
        OutboundClient = CreateClient(request => Endpoint(request) is { } endpoint
                ? endpoint.Tcp
                : Metrics.OutboundDestinationTcp(request.RequestUri?.Authority ?? "", null, Metrics.OutboundWithoutIdentity),
            Tls);
    }

    public ProxyOptions Options { get; }
    public ProxyMetrics Metrics { get; }
    public TapBroker Tap { get; }
    public IDestinationResolver Resolver { get; }
    public ILoggerFactory LoggerFactory { get; }
    /// <summary>This proxy's identity and certificate; null when it runs without.</summary>
    public WorkloadIdentity? Identity { get; }
    /// <summary>Labels naming this pod in tap events (<c>namespace</c>, <c>pod</c>).</summary>
    public Dictionary<string, string> PodLabels { get; }
    internal MeshTls? Tls { get; }
    internal HttpMessageInvoker InboundClient { get; }
    internal HttpMessageInvoker OutboundClient { get; }
    internal DataPlane? DataPlane { get; private set; }

    /// <summary>Listeners bound, discovery synced and, with an identity, a certificate in hand: the proxy can route.</summary>
    public bool IsReady => DataPlane is not null && Resolver.IsSynced && (Identity is null || Identity.Current is not null);

    internal void Start(IHttpForwarder forwarder) => DataPlane = new DataPlane(this, forwarder);

    public async ValueTask DisposeAsync()
    {
        Tap.CompleteAll();
        InboundClient.Dispose();
        OutboundClient.Dispose();
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

    private static OutboundEndpoint? Endpoint(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(ProxyTransformerOptions.Endpoint, out var endpoint) ? endpoint : null;

    /// <param name="tls">Secures connections to destinations that have an identity; null for plaintext only.</param>
    private static HttpMessageInvoker CreateClient(Func<HttpRequestMessage, TcpSeries> series, MeshTls? tls) => new(new FlushingHandler(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, ct);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var request = context.InitialRequestMessage;
            var stream = new CountingStream(new NetworkStream(socket, ownsSocket: true), series(request));
            // The pool keys connections by address, and each address is one pod: one identity, or none.
            return tls is not null && Endpoint(request) is { ServerIdentity: { } serverIdentity } endpoint
                ? await tls.ConnectAsync(stream, endpoint.Address, serverIdentity, request.Version == HttpVersion.Version20, ct)
                : stream;
        },
    }), disposeHandler: true);
}
