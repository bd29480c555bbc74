using System.Net;
using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Discovery;
using Grpc.Core;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// <c>Destination.Get</c>: resolves the asked destination in the shared discovery view, sends its endpoint set, then the
/// differences each time the view is rebuilt, until the caller goes away.
/// </summary>
internal sealed partial class DestinationGrpcService(KubernetesDestinationDiscovery discovery, DestinationTargets targets, DestinationStreams streams,
    DestinationCallers callers, DestinationMetrics metrics, IHostApplicationLifetime lifetime, ILogger<DestinationGrpcService> logger)
    : Contracts.Destination.Destination.DestinationBase
{
    private const string DefaultNamespace = "default";

    public override async Task Get(GetDestination request, IServerStreamWriter<Update> responseStream, ServerCallContext context)
    {
        callers.Authorize(request, context);
        var resolve = Resolver(request);
        var asked = request.TargetCase == GetDestination.TargetOneofCase.Authority ? "authority " + request.Authority : "address " + request.Address;
        using var open = streams.Track(asked);
        // Kestrel lets in-flight requests run until its shutdown timeout: a stream never ends by itself, so end it on stopping.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var ct = stop.Token;
        // A short authority means a Service of the caller's namespace: callers of other namespaces ask another target.
        var key = request.TargetCase == GetDestination.TargetOneofCase.Authority ? $"{asked}\n{CallerNamespace(request)}" : asked;
        var target = targets.Acquire(key, resolve);
        var tracker = new EndpointSetTracker();
        try
        {
            var (known, current, changed) = target.State;
            while (!known)
            {
                await changed.WaitAsync(ct).ConfigureAwait(false);
                (known, current, changed) = target.State;
            }

            while (true)
            {
                foreach (var update in tracker.Next(current))
                {
                    await responseStream.WriteAsync(update, ct).ConfigureAwait(false);
                    metrics.UpdateSent();
                }

                await changed.WaitAsync(ct).ConfigureAwait(false);
                (_, current, changed) = target.State;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller closed its stream, or the service is stopping.
        }
        finally
        {
            targets.Release(key, target);
        }
    }

    private static string CallerNamespace(GetDestination request) => request.Caller?.Namespace is { Length: > 0 } ns ? ns : DefaultNamespace;

    /// <summary>How the request's target is looked up in a view; a target that does not parse is the caller's error.</summary>
    private Func<DiscoverySnapshot, ResolvedService?> Resolver(GetDestination request)
    {
        switch (request.TargetCase)
        {
            case GetDestination.TargetOneofCase.Authority when Authority.TryParse(request.Authority, out _):
                var authority = request.Authority;
                var ns = CallerNamespace(request);
                LogGet("authority", authority, request.Caller?.Pod ?? "", ns);
                return snapshot => snapshot.Resolve(authority, ns, discovery.ClusterDomain);
            case GetDestination.TargetOneofCase.Address when IPEndPoint.TryParse(request.Address, out var address) && address.Port != 0:
                LogGet("address", request.Address, request.Caller?.Pod ?? "", request.Caller?.Namespace ?? "");
                return snapshot => snapshot.Resolve(address);
            case GetDestination.TargetOneofCase.Authority:
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"authority: '{request.Authority}' is not an authority; expected svc.ns.svc.cluster.local:port, svc.ns:port or svc"));
            case GetDestination.TargetOneofCase.Address:
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"address: '{request.Address}' is not an address; expected IP:PORT, e.g. 10.42.0.11:8080 or [fd00::1]:8080"));
            default:
                throw new RpcException(new Status(StatusCode.InvalidArgument, "target: neither authority nor address is set"));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Get {Kind} {Target} for pod {Pod} in {Namespace}")]
    private partial void LogGet(string kind, string target, string pod, string @namespace);
}
