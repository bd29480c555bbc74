using System.Diagnostics;
using System.Globalization;
using Yarp.ReverseProxy.Forwarder;

namespace Dashboard.Proxy.Forwarding;

/// <summary>
/// Keeps the client's authority (the app routes on it, and the next proxy labels by it) and marks the
/// moment response headers arrive, which is where latency is measured and tap's responseInit is sent.
/// </summary>
internal sealed class ProxyTransformer : HttpTransformer
{
    public static ProxyTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Host = httpContext.Request.Host.Value;
        if (httpContext.Features.Get<ProxyRequestFeature>()?.Endpoint is { } endpoint)
        {
            proxyRequest.Options.Set(ProxyTransformerOptions.Endpoint, endpoint);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var result = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        var state = httpContext.Features.Get<ProxyRequestFeature>();
        if (state is not null && proxyResponse is not null)
        {
            state.ResponseTimestamp = Stopwatch.GetTimestamp();
            // A trailers-only gRPC response carries its status in the headers.
            state.GrpcStatus = GrpcStatus(proxyResponse.Headers);
            state.Tap?.ResponseInit(httpContext);
        }

        return result;
    }

    public override async ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken)
    {
        await base.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken);
        if (httpContext.Features.Get<ProxyRequestFeature>() is { } state && GrpcStatus(proxyResponse.TrailingHeaders) is { } status)
        {
            state.GrpcStatus = status;
        }
    }

    private static int? GrpcStatus(System.Net.Http.Headers.HttpHeaders headers) =>
        headers.NonValidated.TryGetValues("grpc-status", out var values) &&
        int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : null;
}
