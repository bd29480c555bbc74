using System.Diagnostics;
using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Fleet.KubernetesApi;
using DestinationBench;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

// bench/destination.sh runs this with its variables in the environment; see bench/README.md.
var settings = Settings.FromEnvironment();
if (settings is null)
{
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var store = new KubeStore();
var cluster = new BenchCluster(store, settings.Services, settings.PodsPerService);
await using var api = await ApiHost.StartAsync(store);
Log($"Kubernetes API at {api.Url}: {settings.Services} Services in {BenchCluster.Namespaces} namespaces, {settings.Services * settings.PodsPerService} meshed pods");
var subscriptions = Subscriptions.Assign(settings.Proxies, settings.Services, settings.PerProxy, seed: 1);
var rows = new List<Row>();
try
{
    rows.Add(await DestinationModeAsync());
    rows.Add(await BaselineModeAsync());
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Log("interrupted");
    return 130;
}

Report.Print(settings, rows);
return 0;

async Task<Row> DestinationModeAsync()
{
    var (watches0, lists0) = (api.Watches, api.Lists);
    using var destination = await ChildProcess.StartDestinationAsync(settings.ProxyDll, api.Url,
        Path.Combine(settings.Work, "destination.log"), Path.Combine(settings.Work, "destination.pid"));
    AppDomain.CurrentDomain.ProcessExit += (_, _) => destination.Dispose();
    Log($"destination service (pid {destination.Pid}) on {destination.Listen}; {settings.Proxies} proxies subscribe to {settings.PerProxy} Services each");

    await Until(() => api.OpenWatches == 3, "watch of the destination service on each of services, endpointslices and pods");
    var (idle, _) = destination.Memory();
    var before = Heap.Live();
    var resolvers = new DestinationServiceResolver[settings.Proxies];
    await Batches.RunAsync(settings.Proxies, 50, async p =>
    {
        var ns = BenchCluster.Namespace(subscriptions[p][0]);
        // Subscribed for the whole run, as proxies sending to their destinations are: only the changed Service's views
        // are polled, and the default idle timeout would drop (and later re-open) the others' streams mid-window.
        resolvers[p] = new DestinationServiceResolver(destination.Listen.ToString(), new Caller { Namespace = ns, Pod = $"proxy-{p:D4}" }, NullLoggerFactory.Instance,
            idleTimeout: TimeSpan.FromHours(1));
        await Task.WhenAll(subscriptions[p].Select(s => resolvers[p].ResolveAsync(BenchCluster.Authority(s), stop.Token).AsTask()));
    }, stop.Token);
    await Until(() => Enumerable.Range(0, settings.Proxies).All(p => subscriptions[p].All(s => resolvers[p].Resolve(BenchCluster.Authority(s)) is not null)),
        "every subscription's first answer");
    var perProxy = (Heap.Live() - before) / (double)settings.Proxies;
    Log($"all {settings.Proxies * settings.PerProxy} subscriptions answered; {perProxy / 1024:F1} KiB of managed heap per proxy");

    var views = Views(settings.Services, (p, s) => () => resolvers[p].Resolve(BenchCluster.Authority(s)), subscriptions);
    var window = await Window.MeasureAsync(() => FanOut.RunAsync(cluster, views, settings.Duration, seed: 2, stop.Token), destination.Cpu);
    var (rss, hwm) = destination.Memory();
    var row = new Row("destination service", settings.Proxies, api.Watches - watches0, api.Lists - lists0, window, (idle, rss, hwm), perProxy, 1);
    await Task.WhenAll(resolvers.Select(r => r.DisposeAsync().AsTask()));
    return row;
}

async Task<Row> BaselineModeAsync()
{
    var n = settings.BaselineProxies;
    var (watches0, lists0) = (api.Watches, api.Lists);
    Log($"baseline: {n} proxies each list and watch the whole cluster (KubernetesDestinationDiscovery)");
    var before = Heap.Live();
    var discoveries = new KubernetesDestinationDiscovery[n];
    await Batches.RunAsync(n, 25, async p =>
    {
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = api.Url });
        discoveries[p] = new KubernetesDestinationDiscovery(client, BenchCluster.Namespace(p % settings.Services), NullLogger.Instance);
        await Until(() => discoveries[p].IsSynced && discoveries[p].ServiceCount == settings.Services, $"baseline proxy {p}'s first sync", quiet: true);
    }, stop.Token);
    var perProxy = (Heap.Live() - before) / (double)n;
    Log($"all {n} synced; {perProxy / 1024:F1} KiB of managed heap per proxy");

    // Every proxy watches every Service: each change is due at all of them.
    var views = Views(settings.Services, (p, s) => () => discoveries[p].Resolve(BenchCluster.Authority(s)), Enumerable.Repeat(Enumerable.Range(0, settings.Services).ToArray(), n).ToArray());
    var window = await Window.MeasureAsync(() => FanOut.RunAsync(cluster, views, settings.Duration, seed: 3, stop.Token), cpu: null);
    var row = new Row("per-sidecar watches", n, api.Watches - watches0, api.Lists - lists0, window, null, perProxy, settings.Proxies / (double)n);
    await Task.WhenAll(discoveries.Select(d => d.DisposeAsync().AsTask()));
    return row;
}

async Task Until(Func<bool> condition, string what, bool quiet = false)
{
    var waited = Stopwatch.StartNew();
    while (!condition())
    {
        if (waited.Elapsed > TimeSpan.FromSeconds(120))
        {
            throw new TimeoutException($"no {what} within 120 s");
        }

        await Task.Delay(quiet ? 20 : 100, stop.Token);
    }
}

static IReadOnlyList<Func<ResolvedService?>>[] Views(int services, Func<int, int, Func<ResolvedService?>> view, int[][] subscriptions)
{
    var views = Enumerable.Range(0, services).Select(_ => new List<Func<ResolvedService?>>()).ToArray();
    for (var p = 0; p < subscriptions.Length; p++)
    {
        foreach (var s in subscriptions[p])
        {
            views[s].Add(view(p, s));
        }
    }

    return views;
}

static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
