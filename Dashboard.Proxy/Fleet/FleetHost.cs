using System.Net;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Proxy.Hosting;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// Runs a whole local mesh in one process: every pod's app and (when meshed) its real proxy, each on its own
/// loopback address; the read-only Kubernetes API, Prometheus discovery and ground truth on the API listener;
/// a destination service watching that API, which every meshed proxy resolves through as in a cluster; and the
/// manifest's traffic.
/// </summary>
public sealed class FleetHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _traffic = [];
    // Completed while the API listens: before it does and once it stops, the destination service's requests to it wait
    // (until the service stops) rather than fail, back off and warn.
    private TaskCompletionSource _apiListening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private k8s.Kubernetes? _destinationApi;
    private DestinationServiceHost? _destination;

    private FleetHost(FleetOptions options, ProxyHost host)
    {
        Options = options;
        Host = host;
        Topology = new FleetTopology(options.Manifest, options.IpSecondOctet, options.Synthetic);
        Exporter = new SyntheticExporter(Topology, options.Identity, options.Time.GetUtcNow());
        Truth = new GroundTruth(options.Time);
        Caller = new FleetCaller(Topology);
        Identity = options.Identity ? new FleetIdentity(options.CertificateLifetime, options.Time) : null;
    }

    public FleetOptions Options { get; }
    public ProxyHost Host { get; }
    public FleetTopology Topology { get; }
    public GroundTruth Truth { get; }
    public KubeStore Store { get; } = new();
    /// <summary>The fleet's trust anchor and issuer; null when the fleet runs without identities.</summary>
    public FleetIdentity? Identity { get; }
    internal FleetCaller Caller { get; }
    internal SyntheticExporter Exporter { get; }
    public Uri ApiUrl => new($"http://{Options.ApiListen}");

    /// <summary>The fleet's destination service: its open streams per target, whether it has synced.</summary>
    public DestinationServiceHost Destination => _destination ?? throw new InvalidOperationException("the fleet has not started");

    /// <summary>Where the destination service listens (the real port when configured with port 0).</summary>
    public IPEndPoint DestinationEndPoint => Destination.BoundEndPoint;

    /// <exception cref="FleetStartException">The API or the destination listener cannot bind (another fleet runs?).</exception>
    public static async Task<FleetHost> StartAsync(FleetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckListener(options.ApiListen, "the fleet's Kubernetes API");
        CheckListener(options.DestinationListen, "the fleet's destination service");
        if (options.DestinationListen.Equals(options.ApiListen))
        {
            throw new FleetStartException($"the destination service and the Kubernetes API cannot both listen on {options.ApiListen}; give the destination service another port");
        }

        var fleet = new FleetHost(options, ProxyHost.Create(TimeSpan.FromSeconds(5), builder => SwitchableTransport.Register(builder.Services)));
        try
        {
            await fleet.StartCoreAsync(cancellationToken);
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        return fleet;
    }

    private static void CheckListener(IPEndPoint endPoint, string what)
    {
        if (ListenerProbe.CannotBind(endPoint) is { } reason)
        {
            throw new FleetStartException($"cannot listen on {endPoint} for {what}: {reason}; is another fleet (./run.sh) running?");
        }
    }

    /// <summary>
    /// Kills a meshed pod's proxy as a crash would: its ports refuse connections, its open connections (taps
    /// included) break, and the pod turns not ready, so its service stops sending to it.
    /// </summary>
    /// <exception cref="ArgumentException">No such running meshed pod.</exception>
    public async Task KillProxyAsync(string @namespace, string pod)
    {
        var target = MeshedPod(@namespace, pod);
        foreach (var endpoint in ProxyEndPoints(target))
        {
            await Transport.CloseAsync(endpoint);
        }

        (target.Ready, target.NotReadyReason) = (false, "proxy killed");
        FleetKubeObjects.UpdatePod(Store, Topology, target);
    }

    /// <summary>Brings a killed proxy back: its ports listen again and the pod turns ready.</summary>
    public async Task RestartProxyAsync(string @namespace, string pod, CancellationToken cancellationToken = default)
    {
        var target = MeshedPod(@namespace, pod);
        foreach (var endpoint in ProxyEndPoints(target))
        {
            await Transport.ReopenAsync(endpoint, cancellationToken);
        }

        (target.Ready, target.NotReadyReason) = (true, null);
        FleetKubeObjects.UpdatePod(Store, Topology, target);
    }

    private SwitchableTransport Transport => Host.App.Services.GetRequiredService<SwitchableTransport>();

    private FleetPod MeshedPod(string @namespace, string pod) =>
        Topology.Pod(@namespace, pod) is { Meshed: true, Proxy: not null } found
            ? found
            : throw new ArgumentException($"no running meshed pod {@namespace}/{pod} in the fleet");

    private static IPEndPoint[] ProxyEndPoints(FleetPod pod) => [pod.PodEndPoint, pod.Outbound, pod.Admin, pod.Tap];

    /// <summary>Stops the traffic generators and waits for the requests they sent to finish.</summary>
    public async Task StopTrafficAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_traffic);
    }

    public async ValueTask DisposeAsync()
    {
        await StopTrafficAsync();
        // The proxies first: their subscriptions end before the service they stream from.
        await Host.DisposeAsync();
        if (_destination is not null)
        {
            await _destination.DisposeAsync();
        }

        _destinationApi?.Dispose();
        Caller.Dispose();
        _stop.Dispose();
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var loggers = Host.App.Services.GetRequiredService<ILoggerFactory>();
        var api = new KubernetesApiServer(Store, Options.Time, loggers.CreateLogger<KubernetesApiServer>()) { Tokens = Options.Tokens };
        Host.AddListener(Options.ApiListen, context => FleetEndpoints.HandleAsync(context, this, api));
        await StartDestinationAsync(loggers, cancellationToken);

        foreach (var pod in Topology.Pods.Where(p => p.Synthetic))
        {
            pod.Ready = true;
        }

        foreach (var pod in Topology.Pods.Where(p => p.Runs))
        {
            var endpoints = pod.Meshed ? new[] { pod.AppListen, pod.PodEndPoint, pod.Outbound, pod.Admin, pod.Tap } : [pod.AppListen];
            if (endpoints.Select(e => (e, ListenerProbe.CannotBind(e))).FirstOrDefault(b => b.Item2 is not null) is { Item2: { } problem } failed)
            {
                // A pod that cannot start is shown as not ready, as a crashing container would be; the fleet runs on.
                pod.NotReadyReason = $"cannot listen on {failed.e}: {problem}";
                continue;
            }

            Host.AddListener(pod.AppListen, new FleetApp(pod, Caller, Truth).HandleAsync);
            if (pod.Meshed)
            {
                // No resolver given: the proxy makes its destination service client from its options, as a sidecar does.
                pod.Proxy = Host.AddProxy(ProxyOptionsFor(pod), time: Options.Time, certificates: Identity?.Source);
            }

            pod.Ready = true;
        }

        FleetKubeObjects.Publish(Store, Topology, Identity);
        await Host.StartAsync(cancellationToken);
        // Only now does the API the destination service watches listen; it stops with the host.
        _apiListening.TrySetResult();
        Host.App.Lifetime.ApplicationStopping.Register(() => Volatile.Write(ref _apiListening, new TaskCompletionSource()));
        if (Options.GenerateTraffic)
        {
            await WaitForDestinationAsync(cancellationToken);
            await WaitForIdentitiesAsync(cancellationToken);
            foreach (var traffic in Topology.Manifest.Traffic)
            {
                _traffic.Add(Task.Run(() => new TrafficGenerator(traffic, Topology, Caller, Truth).RunAsync(_stop.Token), CancellationToken.None));
            }
        }
    }

    /// <summary>
    /// The destination service, listing and watching the fleet's API (its requests wait until that listens), its log
    /// joining the fleet's.
    /// </summary>
    private async Task StartDestinationAsync(ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        _destinationApi = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = ApiUrl.ToString() }, new WaitForApi(() => Volatile.Read(ref _apiListening).Task));
        var options = new DestinationOptions { Listen = Options.DestinationListen, KubernetesApi = ApiUrl, TrustDomain = FleetIdentity.TrustDomain };
        _destination = await DestinationServiceHost.StartAsync(options, _destinationApi,
            logging => logging.ClearProviders().AddProvider(new FleetLoggerProvider(loggers)), cancellationToken: cancellationToken);
    }

    /// <summary>Traffic starts once the destination service has its first full view (until then the proxies would fall back to DNS).</summary>
    private async Task WaitForDestinationAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!Destination.IsSynced && await timer.WaitForNextTickAsync(timeout.Token))
        {
        }
    }

    /// <summary>Traffic starts once every proxy has its certificate (issued in process: a matter of milliseconds).</summary>
    private async Task WaitForIdentitiesAsync(CancellationToken cancellationToken)
    {
        foreach (var proxy in Host.Proxies)
        {
            if (proxy.Identity is { } identity)
            {
                await identity.WaitForCertificateAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
        }
    }

    private ProxyOptions ProxyOptionsFor(FleetPod pod) => new()
    {
        InboundListen = pod.PodEndPoint,
        AppAddress = pod.AppListen.ToString(),
        OutboundListen = pod.Outbound,
        OutboundSource = pod.Ip,
        AdminListen = pod.Admin,
        TapListen = pod.Tap,
        TapToken = Options.TapToken,
        PodName = pod.Name,
        PodNamespace = pod.Namespace,
        InstanceId = pod.Index,
        UpstreamTimeout = TimeSpan.FromSeconds(30),
        ShutdownGracePeriod = TimeSpan.FromSeconds(5),
        TapBufferCapacity = 10_000,
        Identity = pod.HasIdentity ? Identity?.OptionsFor(pod) : null,
        DestinationService = ProxyDestinationAddress().ToString(),
    };

    /// <summary>The destination service as proxies dial it: on loopback when it listens on every address.</summary>
    private IPEndPoint ProxyDestinationAddress()
    {
        var bound = DestinationEndPoint;
        return bound.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, bound.Port)
            : bound.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, bound.Port)
            : bound;
    }

    /// <summary>Holds the destination service's requests to the fleet's API while it does not listen.</summary>
    private sealed class WaitForApi(Func<Task> listening) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await listening().WaitAsync(cancellationToken).ConfigureAwait(false);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a host's log to the fleet's loggers (and so to whatever providers they gain later).</summary>
    private sealed class FleetLoggerProvider(ILoggerFactory loggers) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

        // The fleet's factory outlives the host that disposes this.
        public void Dispose()
        {
        }
    }
}

public sealed class FleetStartException(string message) : Exception(message);
