using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// Streams one watch: a chunked response of compact JSON lines <c>{"type":"ADDED","object":{...}}</c>,
/// each flushed at once, until the client leaves, timeoutSeconds pass, the host stops or the
/// store drops the watcher for falling behind.
/// </summary>
internal static class KubeWatchStream
{
    public static async Task ServeAsync(HttpContext context, KubeStore store, KubeWatchRequest request, TimeProvider timeProvider, CancellationToken stopping)
    {
        using var timeout = request.Timeout is { } after ? new CancellationTokenSource(after, timeProvider) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted, stopping, timeout?.Token ?? CancellationToken.None);
        var cancellationToken = linked.Token;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = KubeApiResponses.JsonContentType;
        using var subscription = store.Watch(request.ModelType, request.Filter, request.ResourceVersion);
        try
        {
            // Headers go out now: clients wait for them before they read the first event.
            await response.StartAsync(cancellationToken);
            if (subscription is null)
            {
                await WriteExpiredAsync(response, request.ResourceVersion, store.OldestResumableVersion, cancellationToken);
                return;
            }
            foreach (var watchEvent in subscription.Initial)
            {
                await WriteLineAsync(response, watchEvent.TypeName, request.Render(watchEvent.Entry), cancellationToken);
            }
            await foreach (var watchEvent in subscription.Events.ReadAllAsync(cancellationToken))
            {
                await WriteLineAsync(response, watchEvent.TypeName, request.Render(watchEvent.Entry), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stream ends; the client re-watches, as after the real server's watch timeout.
        }
    }

    // What the real server sends when a watch asks for history it no longer keeps; clients re-list.
    private static Task WriteExpiredAsync(HttpResponse response, long? requested, long oldest, CancellationToken cancellationToken)
    {
        var message = string.Create(CultureInfo.InvariantCulture, $"too old resource version: {requested} ({oldest})");
        var status = KubeApiResponses.Status(StatusCodes.Status410Gone, "Expired", message);
        return WriteLineAsync(response, "ERROR", KubeStatusJson.Serialize(status), cancellationToken);
    }

    private static async Task WriteLineAsync(HttpResponse response, string type, string objectJson, CancellationToken cancellationToken)
    {
        var line = string.Concat("{\"type\":\"", type, "\",\"object\":", objectJson, "}\n");
        var writer = response.BodyWriter;
        Encoding.UTF8.GetBytes(line, writer);
        await writer.FlushAsync(cancellationToken);
    }
}

/// <summary>What one watch streams: which objects, from where, for how long, and how each is rendered.</summary>
internal sealed record KubeWatchRequest(
    Type ModelType,
    Func<KubeObjectEntry, bool> Filter,
    Func<KubeObjectEntry, string> Render,
    long? ResourceVersion,
    TimeSpan? Timeout);
