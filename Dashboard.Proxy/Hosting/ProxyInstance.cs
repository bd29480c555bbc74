using System.Net.Sockets;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Forwarding;
using Dashboard.Proxy.Metrics;
using Dashboard.Proxy.Tap;
using Yarp.ReverseProxy.Forwarder;

namespace Dashboard.Proxy.Hosting;

/// <summary>
/// Everything one proxy (one pod's sidecar) owns: its options, metrics registry, tap subscribers,
/// discovery and HTTP clients. Many can live in one process.
/// </summary>
public sealed class ProxyInstance : IAsyncDisposable
{
    public ProxyInstance(ProxyOptions options, IDestinationResolver resolver, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        Options = options;
        Resolver = resolver;
        LoggerFactory = loggerFactory;
        Metrics = new ProxyMetrics(options.AppAddress);
        Tap = new TapBroker(options.TapBufferCapacity, time ?? TimeProvider.System, () => Metrics.TapDropped.Inc());
        PodLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.PodNamespace is { } ns)
        {
            PodLabels["namespace"] = ns;
        }

        if (options.PodName is { } pod)
        {
            PodLabels["pod"] = pod;
        }

        InboundClient = CreateClient(_ => Metrics.InboundDestinationTcp);
        OutboundClient = CreateClient(request =>
            request.Options.TryGetValue(ProxyTransformerOptions.Endpoint, out var endpoint) && endpoint is not null
                ? endpoint.Tcp
                : Metrics.OutboundDestinationTcp(request.RequestUri?.Authority ?? "", null));
    }

    public ProxyOptions Options { get; }
    public ProxyMetrics Metrics { get; }
    public TapBroker Tap { get; }
    public IDestinationResolver Resolver { get; }
    public ILoggerFactory LoggerFactory { get; }
    /// <summary>Labels naming this pod in tap events (<c>namespace</c>, <c>pod</c>).</summary>
    public Dictionary<string, string> PodLabels { get; }
    internal HttpMessageInvoker InboundClient { get; }
    internal HttpMessageInvoker OutboundClient { get; }
    internal DataPlane? DataPlane { get; private set; }

    /// <summary>Listeners bound and discovery synced: the proxy can route.</summary>
    public bool IsReady => DataPlane is not null && Resolver.IsSynced;

    internal void Start(IHttpForwarder forwarder) => DataPlane = new DataPlane(this, forwarder);

    public async ValueTask DisposeAsync()
    {
        Tap.CompleteAll();
        InboundClient.Dispose();
        OutboundClient.Dispose();
        if (Resolver is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private static HttpMessageInvoker CreateClient(Func<HttpRequestMessage, TcpSeries> series) => new(new FlushingHandler(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
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

            return new CountingStream(new NetworkStream(socket, ownsSocket: true), series(context.InitialRequestMessage));
        },
    }), disposeHandler: true);
}
