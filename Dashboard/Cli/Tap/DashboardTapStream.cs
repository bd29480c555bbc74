using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dashboard.Contracts.Tap;
using Dashboard.Tap;

namespace Dashboard.Cli.Tap;

/// <summary>
/// A tap read from the dashboard's stream (<see cref="TapStreamEndpoint"/>) rather than from the proxies: the dashboard
/// runs the session and names both ends of each request, so the CLI needs neither pod IPs nor the inventory. In a
/// cluster the dashboard is reached through a port-forward to its pod, as <c>open</c> reaches it; locally at
/// <c>--dashboard-url</c>. The CLI's user is the kubeconfig's, whose bearer token the dashboard authorizes by RBAC.
/// </summary>
internal sealed class DashboardTapStream : ITapStream, ITapPeerNames
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _lines;
    private readonly PortForwarder? _forwarder;
    private readonly ConcurrentDictionary<string, TapPeer> _peers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TapPodStatus> _pods = new(StringComparer.Ordinal);
    private readonly List<string> _order;
    private long _dropped;

    private DashboardTapStream(TapQuery query, HttpResponseMessage response, StreamReader lines, PortForwarder? forwarder, IReadOnlyList<TapPodStatus> pods)
    {
        Query = query;
        _response = response;
        _lines = lines;
        _forwarder = forwarder;
        _order = [.. pods.Select(p => p.Key)];
        foreach (var pod in pods)
        {
            _pods[pod.Key] = pod;
        }
    }

    public TapQuery Query { get; }

    public IReadOnlyList<TapPodStatus> Pods => [.. _order.Select(k => _pods[k])];

    public long Dropped => Interlocked.Read(ref _dropped);

    public event Action<TapPodStatus>? PodChanged;

    /// <summary>Finds the dashboard, opens its stream and reads the pods of the query.</summary>
    /// <exception cref="CommandException">The dashboard cannot be reached, refuses the user, or has nothing to tap.</exception>
    public static async Task<DashboardTapStream> OpenAsync(CliContext context, TapQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        PortForwarder? forwarder = null;
        try
        {
            var url = context.DashboardUrl;
            if (await ControlPlaneLocator.IsInClusterAsync(context, cancellationToken).ConfigureAwait(false))
            {
                var (pod, port) = await ControlPlaneLocator.DashboardPodAsync(context, cancellationToken).ConfigureAwait(false);
                forwarder = new PortForwarder(context.KubernetesClient(), context.ControlPlaneNamespace, pod, port, new IPEndPoint(IPAddress.Loopback, 0), context.Console.Error);
                forwarder.Start();
                url = new Uri($"http://localhost:{forwarder.LocalEndPoint.Port}/");
            }

            var (token, certificateOnly) = await context.KubernetesCredentialsAsync(cancellationToken).ConfigureAwait(false);
            var response = await SendAsync(context, url, query, token, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                using (response)
                {
                    throw await RefusalAsync(response, url, certificateOnly, cancellationToken).ConfigureAwait(false);
                }
            }

            var lines = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            var first = await ReadLineAsync(lines, url, context.Timeout, cancellationToken).ConfigureAwait(false);
            if (first?.Pods is not { } pods)
            {
                lines.Dispose();
                response.Dispose();
                throw CommandException.Failed($"the dashboard at {url} ended the tap stream before it named the pods");
            }

            return new DashboardTapStream(query, response, lines, forwarder, pods);
        }
        catch
        {
            if (forwarder is not null)
            {
                await forwarder.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<TappedEvent>> ReadBatchesAsync(int maxBatch = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            TapStreamLine? line;
            try
            {
                line = await ReadLineAsync(_lines, _response.RequestMessage?.RequestUri, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            if (line is null)
            {
                throw CommandException.Failed($"the dashboard at {_response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Authority)} ended the tap stream (it stopped?)");
            }

            if (line.Pod is { } status)
            {
                _pods[status.Key] = status;
                PodChanged?.Invoke(status);
            }
            else if (line.Dropped is { } dropped)
            {
                Interlocked.Exchange(ref _dropped, dropped);
            }
            else if (line is { Event: { } e, TappedPod: { } pod })
            {
                Learn(e.Source, line.Source);
                Learn(e.Destination, line.Destination);
                yield return [new TappedEvent(pod, e)];
            }
        }
    }

    public TapPeer Peer(IReadOnlyDictionary<string, string>? labels, string address) => _peers.GetValueOrDefault(TapRowFolder.Ip(address)) ?? TapPeer.Unknown;

    public string? NameOf(string ip) => _peers.GetValueOrDefault(ip)?.Pod;

    public async ValueTask DisposeAsync()
    {
        _lines.Dispose();
        _response.Dispose();
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Learn(string address, TapPeer? peer)
    {
        if (peer is not null)
        {
            _peers[TapRowFolder.Ip(address)] = peer;
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(CliContext context, Uri url, TapQuery query, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, $"{TapStreamEndpoint.Path.TrimStart('/')}?{TapStreamEndpoint.QueryString(query)}"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            // Headers only: the body streams for as long as the tap runs, beyond any --timeout.
            return await context.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw CommandException.Failed($"cannot reach the dashboard at {url}: {Kubernetes.ConnectionTracker.Describe(e)}; " +
                "start it (./run.sh, dashboard serve, or dashboard install in a cluster), or tap the proxies themselves with --direct");
        }
    }

    private static async Task<CommandException> RefusalAsync(HttpResponseMessage response, Uri url, bool certificateOnly, CancellationToken cancellationToken)
    {
        string detail;
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            detail = problem.RootElement.GetProperty("detail").GetString() ?? "";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            detail = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from the dashboard at {url}, which does not look like a dashboard's tap stream";
        }

        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            var certificate = certificateOnly
                ? " (the kubeconfig's user authenticates with a client certificate, which the CLI cannot forward to the dashboard, so it asked as system:anonymous)"
                : "";
            return CommandException.Failed($"{detail}{certificate}; ask for the {TapAccess.ClusterRole} role, or use --direct");
        }

        return CommandException.Failed(detail);
    }

    private static async Task<TapStreamLine?> ReadLineAsync(StreamReader lines, Uri? url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string? text;
        try
        {
            text = await lines.ReadLineAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TimeoutException)
        {
            throw CommandException.Failed($"the tap stream of the dashboard at {url} broke: {Kubernetes.ConnectionTracker.Describe(e)}");
        }

        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TapStreamLine>(text, TapStreamLine.Json);
        }
        catch (JsonException e)
        {
            throw CommandException.Failed($"the dashboard at {url} sent a line that is not a tap stream line ({e.Message}): {text}");
        }
    }
}
