using Dashboard.Contracts.Durations;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Cli;

/// <summary>
/// What a verb works with: the resolved global options and, created on first use and disposed with the
/// context, the clients the dashboard itself uses (Kubernetes, the inventory, Prometheus through
/// <see cref="MetricsService"/>), so the CLI's numbers are the dashboard's.
/// </summary>
public sealed class CliContext(CliConsole console) : IAsyncDisposable
{
    private HttpClient? _http;
    private k8s.Kubernetes? _kubernetes;
    private KubernetesInventory? _inventory;
    private MetricsService? _metrics;
    private PrometheusClient? _prometheus;

    public CliConsole Console { get; } = console;

    public required OutputFormat Output { get; init; }

    public required KubernetesSource Kubernetes { get; init; }

    public required Uri PrometheusUrl { get; init; }

    /// <summary>Whether <c>--prometheus</c> was given: the user brings their own, so no Prometheus pods are expected.</summary>
    public required bool PrometheusGiven { get; init; }

    public required Uri DashboardUrl { get; init; }

    public required string ControlPlaneNamespace { get; init; }

    /// <summary>The bound of each wait for an answer (<c>--timeout</c>).</summary>
    public required TimeSpan Timeout { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>For Prometheus, the dashboard and proxies: bounded by <see cref="Timeout"/>, no system proxy (loopback addresses).</summary>
    public HttpClient Http => _http ??= new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout };

    public PrometheusClient Prometheus => _prometheus ??= new PrometheusClient(Http, PrometheusUrl, Timeout);

    /// <summary>The dashboard's metrics service; its cache keeps nothing, since a command asks each query once.</summary>
    public MetricsService Metrics => _metrics ??= new MetricsService(Prometheus, new QueryCache(Time, TimeSpan.Zero), new RecordingRules(Prometheus, Time));

    /// <summary>The namespace of the kubeconfig's current context, or <c>default</c> (as kubectl).</summary>
    public string DefaultNamespace => Kubernetes.Kind == KubernetesSourceKind.Kubeconfig
        && KubernetesClientConfig().Namespace is { Length: > 0 } ns ? ns : "default";

    /// <summary>A client of the Kubernetes API; a kubeconfig that cannot be used fails the command.</summary>
    public IKubernetes KubernetesClient()
    {
        if (_kubernetes is null)
        {
            var config = KubernetesClientConfig();
            config.HttpClientTimeout = Timeout;
            _kubernetes = new k8s.Kubernetes(config);
        }

        return _kubernetes;
    }

    /// <summary>
    /// The bearer token the Kubernetes API would get from this user (a kubeconfig's static token, token file or exec
    /// plugin), to hand to the dashboard; none for a plain <c>--server</c>. A user who authenticates with a client
    /// certificate alone has no token: <c>ClientCertificateOnly</c> says so, as the certificate cannot be forwarded.
    /// </summary>
    public async Task<(string? Token, bool ClientCertificateOnly)> KubernetesCredentialsAsync(CancellationToken cancellationToken)
    {
        if (Kubernetes.Kind == KubernetesSourceKind.Url)
        {
            return (null, false);
        }

        var config = KubernetesClientConfig();
        var token = config.AccessToken;
        if (string.IsNullOrEmpty(token) && config.TokenProvider is { } provider)
        {
            try
            {
                token = (await provider.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false)).Parameter;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw CommandException.Failed($"cannot get a token for {Kubernetes}: {ConnectionTracker.Describe(e)}");
            }
        }

        var certificate = !string.IsNullOrEmpty(config.ClientCertificateData) || !string.IsNullOrEmpty(config.ClientCertificateFilePath);
        return string.IsNullOrEmpty(token) ? (null, certificate) : (token, false);
    }

    /// <summary>
    /// The dashboard's own inventory, listed once (its watches run until the context is disposed): the
    /// rows and MESHED counts of <c>stat</c> come from it, as on the dashboard's pages.
    /// </summary>
    public async Task<IKubernetesInventory> InventoryAsync(CancellationToken cancellationToken)
    {
        if (_inventory is not null)
        {
            return _inventory;
        }

        _ = KubernetesClientConfig(); // a bad kubeconfig fails now with its reason, not after a timeout
        var inventory = new KubernetesInventory(Kubernetes, NullLogger<KubernetesInventory>.Instance, Time);
        _inventory = inventory;
        var unavailable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = inventory.Subscribe(() =>
        {
            if (inventory.Status.State == InventoryState.Unavailable)
            {
                unavailable.TrySetResult();
            }
        });
        await inventory.StartAsync(cancellationToken).ConfigureAwait(false);
        var synced = inventory.WaitForSyncAsync(cancellationToken);
        try
        {
            await Task.WhenAny(synced, unavailable.Task).WaitAsync(Timeout, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw CommandException.Failed($"the Kubernetes API at {Kubernetes} did not answer within {DurationText.Format(Timeout)}");
        }

        if (!synced.IsCompletedSuccessfully)
        {
            throw CommandException.Failed($"cannot reach the Kubernetes API at {inventory.Status.Url}: {inventory.Status.Reason}");
        }

        return inventory;
    }

    public async ValueTask DisposeAsync()
    {
        if (_inventory is not null)
        {
            await _inventory.StopAsync(CancellationToken.None).ConfigureAwait(false);
            _inventory.Dispose();
        }

        _kubernetes?.Dispose();
        _http?.Dispose();
    }

    private KubernetesClientConfiguration KubernetesClientConfig()
    {
        try
        {
            return Kubernetes.CreateClientConfiguration();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw CommandException.Failed($"cannot use {Kubernetes}: {ConnectionTracker.Describe(e)}");
        }
    }
}
