using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Tap;
using Dashboard.Contracts.Utils;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Hosting;
using Dashboard.Proxy.Metrics;
using Dashboard.Proxy.Tap;
using Yarp.ReverseProxy.Forwarder;

namespace Dashboard.Proxy.Forwarding;

/// <summary>
/// The request path of one proxy instance: inbound (client → app) and outbound (app → destination).
/// Everything a request needs is resolved once and cached; tap costs one volatile read when idle.
/// </summary>
internal sealed partial class DataPlane
{
    private const int MaxCachedEndpoints = 10_000;
    private readonly ProxyInstance _proxy;
    private readonly IHttpForwarder _forwarder;
    private readonly ForwarderRequestConfig _http11;
    private readonly ForwarderRequestConfig _http2;
    // Past the bound the endpoint resolved longest ago goes; traffic still going there resolves it again.
    private readonly BoundedCache<EndpointInfo, OutboundEndpoint> _endpoints = new(MaxCachedEndpoints);
    private readonly BoundedCache<string, OutboundEndpoint> _byAuthority = new(MaxCachedEndpoints, StringComparer.Ordinal);
    private readonly string _appPrefix;
    private readonly ILogger _logger;

    public DataPlane(ProxyInstance proxy, IHttpForwarder forwarder)
    {
        _proxy = proxy;
        _forwarder = forwarder;
        _appPrefix = "http://" + proxy.Options.AppAddress;
        _logger = proxy.LoggerFactory.CreateLogger<DataPlane>();
        _http11 = new ForwarderRequestConfig { ActivityTimeout = proxy.Options.UpstreamTimeout, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        _http2 = new ForwarderRequestConfig { ActivityTimeout = proxy.Options.UpstreamTimeout, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }

    public Task InboundAsync(HttpContext context)
    {
        var authority = context.Request.Host.Value ?? "";
        // Set on the connection once its TLS handshake proved the caller; absent for plaintext.
        var peer = context.Features.Get<InboundPeer>() ?? _proxy.Metrics.Plaintext;
        return ForwardAsync(context, LabelNames.Values.Inbound, authority, _appPrefix, _proxy.InboundClient, peer.Target(authority), null,
            _proxy.Options.AppAddress, peer.Tls, null, _proxy.PodLabels);
    }

    public Task OutboundAsync(HttpContext context)
    {
        var authority = context.Request.Host.Value;
        if (string.IsNullOrEmpty(authority))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync("outbound request has no Host header: the proxy forwards to the destination the Host names\n");
        }

        var service = _proxy.Resolver.Resolve(authority);
        OutboundEndpoint endpoint;
        if (service is null)
        {
            endpoint = _byAuthority.GetOrAdd(authority, static (a, metrics) => new OutboundEndpoint(metrics, a, null, metrics.OutboundWithoutIdentity), _proxy.Metrics);
        }
        else if (service.Pick() is { } info)
        {
            endpoint = _endpoints.GetOrAdd(info, static (i, proxy) => new OutboundEndpoint(proxy.Metrics, i.Address, i.Labels,
                proxy.Identity is not null && i.Identity is { } server ? TlsLabels.ToServer(server) : proxy.Metrics.OutboundWithoutIdentity), _proxy);
        }
        else
        {
            return NoEndpointsAsync(context, authority, service);
        }

        return ForwardAsync(context, LabelNames.Values.Outbound, authority, endpoint.Prefix, _proxy.OutboundClient,
            endpoint.Target(authority), endpoint, endpoint.Address, endpoint.Tls, _proxy.PodLabels, endpoint.TapLabels);
    }

    private async Task ForwardAsync(HttpContext context, string direction, string authority, string prefix, HttpMessageInvoker client,
        TargetMetrics target, OutboundEndpoint? endpoint, string destination, TlsLabels tls,
        Dictionary<string, string>? sourceLabels, Dictionary<string, string>? destinationLabels)
    {
        var state = new ProxyRequestFeature { StartTimestamp = Stopwatch.GetTimestamp(), Endpoint = endpoint };
        context.Features.Set(state);
        target.RecordRequest();
        if (_proxy.Tap.IsActive)
        {
            BeginTap(context, state, direction, authority, destination, tls, sourceLabels, destinationLabels);
        }

        var config = context.Request.Protocol == "HTTP/2" ? _http2 : _http11;
        var result = await _forwarder.SendAsync(context, prefix, client, config, ProxyTransformer.Instance);
        // An upstream may answer before reading the whole request body; the request body copy then ends in an
        // error although the response was delivered in full. That response is what gets classified.
        var error = result == ForwarderError.None || (IsRequestBodyError(result) && context.Response.HasStarted)
            ? ProxyError.None
            : Classify(result, context.GetForwarderErrorFeature()?.Exception);
        var end = state.ResponseTimestamp != 0 ? state.ResponseTimestamp : Stopwatch.GetTimestamp();
        target.RecordResponse(context.Response.StatusCode, state.GrpcStatus, error,
            Stopwatch.GetElapsedTime(state.StartTimestamp, end).TotalMilliseconds);
        if (error != ProxyError.None)
        {
            LogForwardFailed(direction, authority, destination, result, context.GetForwarderErrorFeature()?.Exception?.Message);
        }

        state.Tap?.ResponseEnd(context, state.GrpcStatus, error == ProxyError.None ? null : ProxyErrors.Label(error));
    }

    private void BeginTap(HttpContext context, ProxyRequestFeature state, string direction, string authority, string destination, TlsLabels tls,
        Dictionary<string, string>? sourceLabels, Dictionary<string, string>? destinationLabels)
    {
        var request = context.Request;
        var info = new TapRequestInfo(direction, request.Method, request.Scheme, authority, request.Path.Value ?? "/", destinationLabels);
        if (_proxy.Tap.Admit(info) is not { } subscribers)
        {
            return;
        }

        var connection = context.Connection;
        var template = new TapEvent
        {
            Kind = TapEventKind.RequestInit,
            Id = new TapId { Base = _proxy.Options.InstanceId, Stream = _proxy.Tap.NextStreamId() },
            Direction = direction,
            Source = $"{connection.RemoteIpAddress}:{connection.RemotePort}",
            Destination = direction == LabelNames.Values.Inbound ? $"{connection.LocalIpAddress}:{connection.LocalPort}" : destination,
            SourceLabels = sourceLabels,
            DestinationLabels = destinationLabels,
            Tls = tls.Tls,
            NoTlsReason = tls.Reason,
            ClientId = tls.ClientId.Length == 0 ? null : tls.ClientId,
            ServerId = tls.ServerId.Length == 0 ? null : tls.ServerId,
        };
        state.Tap = new TapRequestContext(subscribers, template) { RequestStart = state.StartTimestamp };
        context.Response.Body = new CountingResponseStream(context.Response.Body, state.Tap);
        state.Tap.RequestInit(context, authority);
    }

    private async Task NoEndpointsAsync(HttpContext context, string authority, ResolvedService service)
    {
        var endpoint = _byAuthority.GetOrAdd("svc/" + service.Namespace + "/" + service.Name,
            _ => new OutboundEndpoint(_proxy.Metrics, authority, new DestinationLabels(service.Namespace, service.Name, null, null), _proxy.Metrics.OutboundWithoutIdentity));
        var target = endpoint.Target(authority);
        var start = Stopwatch.GetTimestamp();
        target.RecordRequest();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        await context.Response.WriteAsync($"service {service.Namespace}/{service.Name} has no ready endpoints\n");
        target.RecordResponse(StatusCodes.Status503ServiceUnavailable, null, ProxyError.NoEndpoints, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    internal static ProxyError Classify(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.RequestTimedOut or ForwarderError.UpgradeActivityTimeout => ProxyError.Timeout,
        ForwarderError.Request when Refused(exception) => ProxyError.ConnectionRefused,
        ForwarderError.Request when Has<AuthenticationException>(exception) => ProxyError.TlsHandshake,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled
            or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient => ProxyError.Canceled,
        ForwarderError.ResponseHeaders or ForwarderError.ResponseBodyDestination or ForwarderError.RequestBodyDestination
            or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination => ProxyError.Reset,
        ForwarderError.NoAvailableDestinations => ProxyError.NoEndpoints,
        _ => ProxyError.Upstream,
    };

    private static bool IsRequestBodyError(ForwarderError error) =>
        error is ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient or ForwarderError.RequestBodyDestination;

    private static bool Refused(Exception? exception) => Has<SocketException>(exception, s => s.SocketErrorCode == SocketError.ConnectionRefused);

    private static bool Has<T>(Exception? exception, Func<T, bool>? matches = null) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found && (matches is null || matches(found)))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Direction} request for {Authority} to {Destination} failed: {Error} {Reason}")]
    private partial void LogForwardFailed(string direction, string authority, string destination, ForwarderError error, string? reason);
}
