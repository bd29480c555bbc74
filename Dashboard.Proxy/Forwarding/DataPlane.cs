using System.Diagnostics;
using System.Net;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Tap;
using Dashboard.Contracts.Utils;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.MeshIdentity;
using Dashboard.Proxy.Metrics;
using Dashboard.Proxy.Tap;
using Dashboard.Proxy.Transparent;
using Yarp.ReverseProxy.Forwarder;

namespace Dashboard.Proxy.Forwarding;

/// <summary>
/// The request path of one proxy instance: inbound (client → app) and outbound (app → destination).
/// Everything a request needs is resolved once and cached; tap costs one volatile read when idle.
/// </summary>
internal sealed partial class DataPlane : IDisposable
{
    private const int MaxCachedEndpoints = 10_000;
    private readonly ProxyOptions _options;
    private readonly ProxyMetrics _metrics;
    private readonly TapBroker _tap;
    private readonly IDestinationResolver _resolver;
    private readonly MeshTls? _tls;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _inboundClient;
    private readonly HttpMessageInvoker _outboundClient;
    private readonly ForwarderRequestConfig _http11;
    private readonly ForwarderRequestConfig _http2;
    // Past the bound the endpoint resolved longest ago goes; traffic still going there resolves it again.
    private readonly BoundedCache<EndpointInfo, OutboundEndpoint> _endpoints = new(MaxCachedEndpoints);
    private readonly BoundedCache<string, OutboundEndpoint> _byAuthority = new(MaxCachedEndpoints, StringComparer.Ordinal);
    // Hosts forwarded by DNS: past the bound, every new host shares the overflow key's endpoint (and so its series).
    private readonly BoundedCache<string, OutboundEndpoint> _dnsHosts = ProxyMetrics.PerAuthority<OutboundEndpoint>();
    private readonly Dictionary<string, string> _podLabels;
    private readonly string _appPrefix;
    private readonly ILogger _logger;

    /// <param name="tls">The proxy's mTLS; null when it runs without an identity.</param>
    public DataPlane(ProxyOptions options, ProxyMetrics metrics, TapBroker tap, IDestinationResolver resolver, MeshTls? tls,
        IHttpForwarder forwarder, ILogger<DataPlane> logger)
    {
        _options = options;
        _metrics = metrics;
        _tap = tap;
        _resolver = resolver;
        _tls = tls;
        _forwarder = forwarder;
        _logger = logger;
        _appPrefix = "http://" + options.AppAddress;
        _podLabels = PodLabels(options);
        _http11 = new ForwarderRequestConfig { ActivityTimeout = options.UpstreamTimeout, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        _http2 = new ForwarderRequestConfig { ActivityTimeout = options.UpstreamTimeout, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        // Per new connection: named by the app address it goes to (Authority would drop a port 80).
        _inboundClient = UpstreamClient.Create(request => metrics.InboundDestinationTcp(request.RequestUri is { } uri
            ? uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : options.AppAddress), null, null);
        _outboundClient = UpstreamClient.Create(request => UpstreamClient.Endpoint(request) is { } endpoint
                ? endpoint.Tcp
                : metrics.OutboundDestinationTcp(request.RequestUri?.Authority ?? "", null, metrics.OutboundWithoutIdentity),
            tls, options.OutboundSource);
    }

    public Task InboundAsync(HttpContext context)
    {
        var authority = context.Request.Host.Value ?? "";
        // Set on the connection once its TLS handshake proved the caller; absent for plaintext.
        var peer = context.Features.Get<InboundPeer>() ?? _metrics.Plaintext;
        // Redirected by the init container's rules: the app listens on the port the caller addressed, whatever
        // MESH_PROXY_APP_ADDR says (the image bakes one in), so every port of a pod reaches its own listener.
        var redirected = context.Features.Get<RedirectedConnection>();
        if (redirected?.OriginalDestination.Port == _options.OutboundListen.Port)
        {
            // 127.0.0.1 there is the proxy's own outbound listener: forwarding would send a caller's requests out as this pod.
            return RefuseLoopAsync(context, peer.Target(authority, redirected.LocalApp), redirected.OriginalDestination.Port);
        }

        return ForwardAsync(context, LabelNames.Values.Inbound, authority, redirected?.LocalAppPrefix ?? _appPrefix, _inboundClient,
            redirected is null ? peer.Target(authority) : peer.Target(authority, redirected.LocalApp), null,
            redirected?.LocalApp ?? _options.AppAddress, peer.Tls, null, _podLabels);
    }

    public async Task OutboundAsync(HttpContext context)
    {
        // Redirected by the init container's rules: the address the app connected to says where the request goes
        // (the Host header still names the authority); otherwise the Host header says both.
        var redirected = context.Features.Get<RedirectedConnection>();
        var authority = context.Request.Host.Value is { Length: > 0 } host ? host : redirected?.Address;
        if (authority is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("outbound request has no Host header: the proxy forwards to the destination the Host names\n");
            return;
        }

        var service = redirected is null
            ? await _resolver.ResolveAsync(authority, context.RequestAborted)
            : await _resolver.ResolveAsync(redirected.OriginalDestination, context.RequestAborted);
        // Unknown to discovery: a redirected request goes where the app sent it, anything else where DNS says.
        if (Pick(service, redirected?.Address ?? authority) is not { } endpoint)
        {
            await NoEndpointsAsync(context, authority, service!);
            return;
        }

        await ForwardAsync(context, LabelNames.Values.Outbound, authority, endpoint.Prefix, _outboundClient,
            endpoint.Target(authority), endpoint, endpoint.Address, endpoint.Tls, _podLabels, endpoint.TapLabels);
    }

    private async Task ForwardAsync(HttpContext context, string direction, string authority, string prefix, HttpMessageInvoker client,
        TargetMetrics target, OutboundEndpoint? endpoint, string destination, TlsLabels tls,
        Dictionary<string, string>? sourceLabels, Dictionary<string, string>? destinationLabels)
    {
        var state = new ProxyRequestFeature { StartTimestamp = Stopwatch.GetTimestamp(), Endpoint = endpoint };
        context.Features.Set(state);
        target.RecordRequest();
        if (_tap.IsActive)
        {
            BeginTap(context, state, direction, authority, destination, tls, sourceLabels, destinationLabels);
        }

        var config = context.Request.Protocol == "HTTP/2" ? _http2 : _http11;
        var result = await _forwarder.SendAsync(context, prefix, client, config, ProxyTransformer.Instance);
        // An upstream may answer before reading the whole request body; the request body copy then ends in an
        // error although the response was delivered in full. That response is what gets classified.
        var error = result == ForwarderError.None || (ForwarderErrors.IsRequestBody(result) && context.Response.HasStarted)
            ? ProxyError.None
            : ForwarderErrors.Classify(result, context.GetForwarderErrorFeature()?.Exception);
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
        if (_tap.Admit(info) is not { } subscribers)
        {
            return;
        }

        var connection = context.Connection;
        var template = new TapEvent
        {
            Kind = TapEventKind.RequestInit,
            Id = new TapId { Base = _options.InstanceId, Stream = _tap.NextStreamId() },
            Direction = direction,
            Source = $"{connection.RemoteIpAddress}:{connection.RemotePort}",
            // Inbound, where the caller addressed it: a redirected connection's original destination, not the proxy's port.
            Destination = direction != LabelNames.Values.Inbound ? destination
                : context.Features.Get<RedirectedConnection>()?.Address ?? $"{connection.LocalIpAddress}:{connection.LocalPort}",
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

    /// <summary>
    /// The endpoint a connection to <paramref name="service"/> goes to, round-robin over its ready endpoints (null when it
    /// has none); for a destination discovery does not know, <paramref name="unknown"/> unchanged.
    /// </summary>
    private OutboundEndpoint? Pick(ResolvedService? service, string unknown)
    {
        if (service is null)
        {
            return DnsHost(unknown);
        }

        return service.Pick() is { } info
            ? _endpoints.GetOrAdd(info, static (i, self) => new OutboundEndpoint(self._metrics, i.Address, i.Labels,
                self._tls is not null && i.Identity is { } server ? TlsLabels.ToServer(server) : self._metrics.OutboundWithoutIdentity), this)
            : null;
    }

    /// <summary>
    /// A host forwarded by DNS: without <c>dst_</c> labels, each distinct one would be a series of its own for as long as
    /// the proxy runs. The first <see cref="ProxyMetrics.MaxAuthorities"/> keep theirs; later ones share one series (and,
    /// uncached, cost an endpoint per request instead of memory for ever).
    /// </summary>
    private OutboundEndpoint DnsHost(string authority)
    {
        // The cache admits hosts under its lock, so concurrent first requests cannot pass the bound.
        var endpoint = _dnsHosts.GetOrAdd(authority, static (a, metrics) => a.Length == 0
            ? OutboundEndpoint.SharedByDnsHosts(metrics)
            : new OutboundEndpoint(metrics, a, null, metrics.OutboundWithoutIdentity), _metrics);

        // The shared endpoint has no address of its own: each host still goes where its name points.
        return endpoint.Address.Length == 0 ? endpoint.At(authority) : endpoint;
    }

    /// <summary>Answers 403 to a caller that addressed the outbound port through the redirect, counted as the request it was.</summary>
    private static async Task RefuseLoopAsync(HttpContext context, TargetMetrics target, int port)
    {
        var start = Stopwatch.GetTimestamp();
        target.RecordRequest();
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsync($"port {port} is the proxy's outbound port, which serves only this pod's own apps\n");
        target.RecordResponse(StatusCodes.Status403Forbidden, null, ProxyError.None, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    private async Task NoEndpointsAsync(HttpContext context, string authority, ResolvedService service)
    {
        var endpoint = _byAuthority.GetOrAdd("svc/" + service.Namespace + "/" + service.Name,
            _ => new OutboundEndpoint(_metrics, authority, new DestinationLabels(service.Namespace, service.Name, null, null), _metrics.OutboundWithoutIdentity));
        var target = endpoint.Target(authority);
        var start = Stopwatch.GetTimestamp();
        target.RecordRequest();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        await context.Response.WriteAsync($"service {service.Namespace}/{service.Name} has no ready endpoints\n");
        target.RecordResponse(StatusCodes.Status503ServiceUnavailable, null, ProxyError.NoEndpoints, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    public void Dispose()
    {
        _inboundClient.Dispose();
        _outboundClient.Dispose();
    }

    /// <summary>Labels naming this pod in tap events (<c>namespace</c>, <c>pod</c>).</summary>
    private static Dictionary<string, string> PodLabels(ProxyOptions options)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.PodNamespace is { } ns)
        {
            labels["namespace"] = ns;
        }

        if (options.PodName is { } pod)
        {
            labels["pod"] = pod;
        }

        return labels;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Direction} request for {Authority} to {Destination} failed: {Error} {Reason}")]
    private partial void LogForwardFailed(string direction, string authority, string destination, ForwarderError error, string? reason);
}
