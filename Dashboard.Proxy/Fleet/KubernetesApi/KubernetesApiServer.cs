using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Dashboard.Proxy.Fleet.KubernetesApi.KubeApiResponses;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// A read-only Kubernetes API over a <see cref="KubeStore"/>: version, health, discovery,
/// get, list and watch of the resources in <see cref="KubeResources"/>, port forwarding to pods, and the
/// token and access reviews of <see cref="KubeReviews"/>, answered with
/// KubernetesClient's own models so that KubernetesClient and kubectl accept it. A terminal
/// handler with its own routing, so it mounts on any listener: <c>app.Run(server.HandleAsync)</c>.
/// </summary>
public sealed class KubernetesApiServer(KubeStore store, TimeProvider? timeProvider = null, ILogger<KubernetesApiServer>? logger = null)
{
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>The static tokens TokenReviews authenticate (kube-apiserver's <c>--token-auth-file</c>).</summary>
    public KubeTokenFile Tokens { get; init; } = KubeTokenFile.Empty;

    /// <summary>Answers one request; bad input becomes a Status response, never an exception.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await DispatchAsync(context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Kubernetes API request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                await WriteStatusAsync(context, StatusCodes.Status500InternalServerError, "InternalError", "internal error: " + ex.Message);
            }
        }
    }

    private Task DispatchAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var route = KubeApiRoute.Parse(context.Request.Path.Value);
        if (route.Endpoint == KubeApiEndpoint.Review)
        {
            return KubeReviews.HandleAsync(context, store, Tokens, route.Name!);
        }
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            return WriteStatusAsync(context, StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed",
                $"this Kubernetes API server is read-only: {method} is not allowed");
        }
        var document = route.Endpoint switch
        {
            KubeApiEndpoint.Version => KubeApiDiscoveryDocuments.Version,
            KubeApiEndpoint.CoreVersions => KubeApiDiscoveryDocuments.CoreVersions,
            KubeApiEndpoint.GroupList => KubeApiDiscoveryDocuments.GroupList,
            KubeApiEndpoint.Group => KubeApiDiscoveryDocuments.Group(route.GroupOrVersion!),
            KubeApiEndpoint.ResourceList => KubeApiDiscoveryDocuments.ResourceListJson(route.GroupOrVersion!),
            _ => null,
        };
        return route.Endpoint switch
        {
            KubeApiEndpoint.Health => WriteAsync(context, "ok"u8.ToArray(), "text/plain; charset=utf-8"),
            KubeApiEndpoint.Collection or KubeApiEndpoint.Object => ServeResourceAsync(context, route, route.Resource!),
            KubeApiEndpoint.PortForward => KubePortForward.HandleAsync(context, store, route.Namespace!, route.Name!),
            _ when document is not null => WriteJsonAsync(context, document),
            _ => WriteNotFoundAsync(context),
        };
    }

    private Task ServeResourceAsync(HttpContext context, KubeApiRoute route, KubeResource resource)
    {
        if (!KubeApiQuery.TryParse(context.Request.Query, resource, out var query, out var error))
        {
            return WriteBadRequestAsync(context, error);
        }
        var tableVersion = KubeTableWriter.RequestedVersion(context.Request.Headers.Accept);
        if (query.Watch || route.WatchPrefix)
        {
            // Watches end when the host stops, or they would hold its shutdown until they time out.
            var stopping = context.RequestServices?.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? default;
            var render = tableVersion is null
                ? static (KubeObjectEntry e) => e.Json
                : KubeTableWriter.WatchRenderer(tableVersion, resource, query.IncludeObject, _timeProvider);
            var watch = new KubeWatchRequest(resource.ModelType, e => InScope(route, e) && query.Matches(e), render, query.ResourceVersion, query.Timeout);
            return KubeWatchStream.ServeAsync(context, store, watch, _timeProvider, stopping);
        }
        if (route.Name is { } name)
        {
            var entry = store.GetEntry(resource.ModelType, route.Namespace, name);
            return entry is null
                ? WriteObjectNotFoundAsync(context, resource, name)
                : WriteEntriesAsync(context, resource, query, tableVersion, [entry], entry.ResourceVersion, single: true);
        }
        var (entries, resourceVersion) = store.Snapshot(resource.ModelType, route.Namespace);
        return WriteEntriesAsync(context, resource, query, tableVersion, entries.Where(query.Matches), resourceVersion, single: false);
    }

    private Task WriteEntriesAsync(
        HttpContext context,
        KubeResource resource,
        KubeApiQuery query,
        string? tableVersion,
        IEnumerable<KubeObjectEntry> entries,
        long resourceVersion,
        bool single)
    {
        var body = new ArrayBufferWriter<byte>();
        if (tableVersion is not null)
        {
            KubeTableWriter.Write(body, tableVersion, resource, entries, resourceVersion, query.IncludeObject, _timeProvider.GetUtcNow());
            return WriteAsync(context, body.WrittenMemory, JsonContentType);
        }
        if (single)
        {
            return WriteJsonAsync(context, entries.Single().Json);
        }
        KubeListWriter.Write(body, resource, entries, resourceVersion);
        return WriteAsync(context, body.WrittenMemory, JsonContentType);
    }

    private static bool InScope(KubeApiRoute route, KubeObjectEntry entry) =>
        (route.Namespace is null || entry.Namespace == route.Namespace) && (route.Name is null || entry.Name == route.Name);
}
