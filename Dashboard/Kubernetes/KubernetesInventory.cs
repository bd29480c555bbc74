using System.Threading.Channels;
using k8s;

namespace Dashboard.Kubernetes;

/// <summary>
/// Lists, then watches namespaces, pods, replica sets and the four workload kinds in all namespaces,
/// and publishes an immutable <see cref="InventorySnapshot"/> rebuilt at most once per
/// <see cref="InventoryTimings.Coalesce"/>. Failures keep the last data, mark the
/// <see cref="Status"/> Unavailable and retry with backoff until the API answers again.
/// </summary>
public sealed partial class KubernetesInventory : BackgroundService, IKubernetesInventory
{
    private readonly KubernetesSource _source;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly InventoryTimings _timings;
    private readonly ConnectionTracker _tracker;
    private readonly InventoryReflectors _reflectors;
    private readonly ChangeNotifier _notifier;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile InventorySnapshot _current = InventorySnapshot.Empty;
    private IKubernetes? _client;

    public KubernetesInventory(KubernetesSource source, ILogger<KubernetesInventory> logger, TimeProvider? timeProvider = null, InventoryTimings? timings = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(logger);
        _source = source;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _timings = timings ?? InventoryTimings.Default;
        _tracker = new ConnectionTracker(InventoryReflectors.Resources, source.ToString(), _timeProvider, () => _signal.Writer.TryWrite(true));
        _reflectors = new InventoryReflectors(_tracker, _timings, _timeProvider);
        _notifier = new ChangeNotifier(logger);
    }

    public InventorySnapshot Current => _current;

    public InventoryStatus Status => _tracker.Status;

    public IDisposable Subscribe(Action onChange) => _notifier.Subscribe(onChange);

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public override void Dispose()
    {
        base.Dispose();
        _client?.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var publishing = PublishAsync(stoppingToken);
        var client = await CreateClientAsync(stoppingToken).ConfigureAwait(false);
        if (client is not null)
        {
            _client = client;
            await Task.WhenAll(_reflectors.All.Select(r => r.RunAsync(client, stoppingToken))).ConfigureAwait(false);
        }

        await publishing.ConfigureAwait(false);
    }

    // A kubeconfig or the in-cluster files can be fixed while the dashboard runs: retry like the API.
    private async Task<IKubernetes?> CreateClientAsync(CancellationToken stoppingToken)
    {
        var backoff = _timings.InitialBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var client = new k8s.Kubernetes(_source.CreateClientConfiguration());
                _tracker.SetUrl(client.BaseUri.ToString().TrimEnd('/'));
                return client;
            }
            catch (Exception ex)
            {
                LogClientFailed(_source.ToString(), ConnectionTracker.Describe(ex));
                _tracker.ClientFailed(ex);
            }

            try
            {
                await Task.Delay(backoff, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = backoff * 2 < _timings.MaxBackoff ? backoff * 2 : _timings.MaxBackoff;
        }

        return null;
    }

    private async Task PublishAsync(CancellationToken stoppingToken)
    {
        var previous = _tracker.Status;
        try
        {
            while (await _signal.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                _signal.Reader.TryRead(out _);
                var allListed = _tracker.AllListed;
                if (_tracker.TakeDirty())
                {
                    _current = _reflectors.Build(_current.Version + 1);
                }

                if (allListed && _synced.TrySetResult())
                {
                    LogSynced(_current.Namespaces.Length, _current.Workloads.Length, _current.Pods.Length, _tracker.Status.Url);
                }

                previous = LogStatusChange(previous, _tracker.Status);
                _notifier.Notify();

                // Coalescing: whatever changes meanwhile is published in one rebuild after this pause.
                await Task.Delay(_timings.Coalesce, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private InventoryStatus LogStatusChange(InventoryStatus previous, InventoryStatus current)
    {
        if (current.State != previous.State)
        {
            if (current.State == InventoryState.Unavailable)
            {
                LogUnavailable(current.Url, current.Reason ?? "");
            }
            else if (current.State == InventoryState.Connected && previous.State == InventoryState.Unavailable)
            {
                LogRecovered(current.Url);
            }
        }

        return current;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes inventory synced from {Url}: {Namespaces} namespaces, {Workloads} workloads, {Pods} pods")]
    private partial void LogSynced(int namespaces, int workloads, int pods, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubernetes API {Url} unavailable, keeping the last data and retrying: {Reason}")]
    private partial void LogUnavailable(string url, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes API {Url} is reachable again")]
    private partial void LogRecovered(string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot build a Kubernetes client from {Source}, retrying: {Reason}")]
    private partial void LogClientFailed(string source, string reason);
}
