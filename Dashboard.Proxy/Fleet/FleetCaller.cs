using System.Diagnostics;
using System.Globalization;
using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// How fleet pods and clients reach a service: a meshed pod through its own outbound proxy (the Host names
/// the service, the proxy resolves it), anything else straight to a ready pod of the service, round-robin,
/// as kube-proxy would.
/// </summary>
public sealed class FleetCaller(FleetTopology topology) : IDisposable
{
    public const string ExtraLatencyHeader = "x-fleet-extra-latency-ms";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    { Timeout = RequestTimeout };
    private int _next;

    /// <summary>Sends one request; the status, or 0 when none came back, and the client-side latency.</summary>
    public async Task<(int Status, double LatencyMs)> CallAsync(FleetPod? from, string service, string defaultNamespace,
        string method, string path, double extraLatencyMs, CancellationToken cancellationToken)
    {
        var (ns, name) = FleetManifest.ParseService(service, defaultNamespace);
        var authority = $"{name}.{ns}";
        Uri target;
        if (from is { Meshed: true })
        {
            target = new Uri($"http://{from.Outbound}{path}");
        }
        else
        {
            var ready = topology.ServicePods(ns, name).Where(p => p.Ready).ToList();
            if (ready.Count == 0)
            {
                return (0, 0);
            }

            target = new Uri($"http://{ready[(int)((uint)Interlocked.Increment(ref _next) % (uint)ready.Count)].PodEndPoint}{path}");
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        request.Headers.Host = authority;
        if (extraLatencyMs > 0)
        {
            request.Headers.Add(ExtraLatencyHeader, extraLatencyMs.ToString("0.###", CultureInfo.InvariantCulture));
        }

        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return ((int)response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (0, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    public void Dispose() => _client.Dispose();

    internal static bool IsSuccess(int status) => status is > 0 and < 500;
}
