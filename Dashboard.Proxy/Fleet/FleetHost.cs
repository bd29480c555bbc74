using System.Net;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Proxy.Hosting;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// Runs a whole local mesh in one process: every pod's app and (when meshed) its real proxy, each on its own
/// loopback address; the read-only Kubernetes API, Prometheus discovery and ground truth on the API listener;
/// and the manifest's traffic.
/// </summary>
public sealed class FleetHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _traffic = [];
    private KubernetesDestinationDiscovery? _discovery;

    private FleetHost(FleetOptions options, ProxyHost host)
    {
        Options = options;
        Host = host;
        Topology = new FleetTopology(options.Manifest, options.IpSecondOctet, options.Synthetic);
        Exporter = new SyntheticExporter(options.Time.GetUtcNow());
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

    /// <exception cref="FleetStartException">The API listener cannot bind (another fleet runs?).</exception>
    public static async Task<FleetHost> StartAsync(FleetOptions options, CancellationToken cancellationToken = default)
    {
        if (ListenerProbe.CannotBind(options.ApiListen) is { } reason)
        {
            throw new FleetStartException($"cannot listen on {options.ApiListen} for the fleet's Kubernetes API: {reason}; is another fleet (./run.sh) running?");
        }

        var fleet = new FleetHost(options, ProxyHost.Create(TimeSpan.FromSeconds(5), builder => SwitchableTransport.Register(builder.Services)));
        await fleet.StartCoreAsync(cancellationToken);
        return fleet;
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
        await Host.DisposeAsync();
        if (_discovery is not null)
        {
            await _discovery.DisposeAsync();
        }

        Caller.Dispose();
        _stop.Dispose();
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var loggers = Host.App.Services.GetRequiredService<ILoggerFactory>();
        var api = new KubernetesApiServer(Store, Options.Time, loggers.CreateLogger<KubernetesApiServer>()) { Tokens = Options.Tokens };
        Host.AddListener(Options.ApiListen, context => FleetEndpoints.HandleAsync(context, this, api));
        _discovery = new KubernetesDestinationDiscovery(new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = ApiUrl.ToString() }),
            "default", loggers.CreateLogger<KubernetesDestinationDiscovery>(), start: false);

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
                pod.Proxy = Host.AddProxy(ProxyOptionsFor(pod), _discovery.ForNamespace(pod.Namespace), Options.Time, Identity?.Source);
            }

            pod.Ready = true;
        }

        FleetKubeObjects.Publish(Store, Topology, Identity);
        await Host.StartAsync(cancellationToken);
        // Only now does the API it watches listen.
        _discovery.Start();
        if (Options.GenerateTraffic)
        {
            await WaitForDiscoveryAsync(cancellationToken);
            await WaitForIdentitiesAsync(cancellationToken);
            foreach (var traffic in Topology.Manifest.Traffic)
            {
                _traffic.Add(Task.Run(() => new TrafficGenerator(traffic, Topology, Caller, Truth).RunAsync(_stop.Token), CancellationToken.None));
            }
        }
    }

    /// <summary>Traffic starts once the proxies can route by service name (until then they would fall back to DNS).</summary>
    private async Task WaitForDiscoveryAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!_discovery!.IsSynced && await timer.WaitForNextTickAsync(timeout.Token))
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
    };
}

public sealed class FleetStartException(string message) : Exception(message);
