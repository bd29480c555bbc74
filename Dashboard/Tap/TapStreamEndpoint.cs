using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Dashboard.Contracts.Tap;
using Dashboard.Kubernetes;

namespace Dashboard.Tap;

/// <summary>
/// <c>GET /api/tap?namespace=default&amp;resource=deploy/web&amp;toResource=…&amp;method=…&amp;path=…&amp;authority=…&amp;scheme=…&amp;maxRps=…&amp;headers=true</c>:
/// the tap the CLI's <c>tap</c> and <c>top</c> read from a laptop, where pod IPs cannot be reached. The parameters are
/// the /tap page's (<see cref="TapQueryText"/>), parsed by its parser; the caller's bearer token is authorized by
/// Kubernetes RBAC (<see cref="ITapAuthorizer"/>). The answer streams <see cref="TapStreamLine"/>s as
/// <c>application/x-ndjson</c> from one <see cref="TapSession"/> until the client goes away; a slow client loses the
/// session's oldest events (its bounded buffer), never the dashboard's memory.
/// </summary>
public static class TapStreamEndpoint
{
    public const string Path = "/api/tap";
    public const string ContentType = "application/x-ndjson";

    /// <summary>The parameter that asks for headers (the CLI's <c>-o json</c> prints them).</summary>
    public const string HeadersParameter = "headers";

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static void MapTapStream(this WebApplication app) => app.MapGet(Path, StreamAsync);

    /// <summary>The query string of a tap query, as the CLI sends it.</summary>
    public static string QueryString(TapQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = TapQueryText.From(query).ToQueryParameters()
            .Where(p => p.Value is not null)
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!.ToString()!)}");
        return string.Join('&', [.. parameters, $"{HeadersParameter}={(query.ExtractHeaders ? "true" : "false")}"]);
    }

    private static async Task StreamAsync(HttpContext context, ITapService taps, ITapAuthorizer authorizer, IKubernetesInventory inventory, IHostApplicationLifetime lifetime)
    {
        var (query, problem) = Parse(context.Request.Query);
        if (query is null)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, problem!);
            return;
        }

        TapAccessDecision access;
        try
        {
            access = await authorizer.AuthorizeAsync(BearerToken(context.Request), query.Namespace, context.RequestAborted);
        }
        catch (TapAuthorizationException e)
        {
            await ProblemAsync(context, StatusCodes.Status503ServiceUnavailable, e.Message);
            return;
        }

        if (!access.Authenticated)
        {
            await ProblemAsync(context, StatusCodes.Status401Unauthorized, $"the Kubernetes API did not accept the bearer token: {access.Reason}");
            return;
        }

        if (!access.Allowed)
        {
            var reason = access.Reason.Length > 0 ? access.Reason : "no RBAC rule grants it";
            await ProblemAsync(context, StatusCodes.Status403Forbidden,
                $"user {access.User} cannot {TapAccess.Verb} {TapAccess.Group}/{TapAccess.Resource} in namespace {query.Namespace}: {reason}");
            return;
        }

        if (taps.Availability.Disabled is { } disabled)
        {
            await ProblemAsync(context, StatusCodes.Status503ServiceUnavailable, disabled);
            return;
        }

        TapSession session;
        try
        {
            session = taps.Start(query);
        }
        catch (TapQueryException e)
        {
            await ProblemAsync(context, StatusCodes.Status404NotFound, e.Message);
            return;
        }

        await using (session.ConfigureAwait(false))
        {
            using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                await WriteAsync(context.Response, session, new TapPodDirectory(inventory.Current), end.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && end.IsCancellationRequested)
            {
                // The client went away (or the dashboard stops): the session ends with it.
            }
        }
    }

    private static async Task WriteAsync(HttpResponse response, TapSession session, TapPodDirectory peers, CancellationToken cancellationToken)
    {
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        // Pod changes come from the session's threads; this loop alone writes. Few pods, few changes: bounded anyway.
        var changes = Channel.CreateBounded<TapPodStatus>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        session.PodChanged += status => changes.Writer.TryWrite(status);
        await WriteLineAsync(response, new TapStreamLine { Pods = session.Pods }, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        try
        {
            await PumpAsync(response, session, peers, changes.Reader, cancellationToken);
        }
        finally
        {
            // Nothing waits on pod changes after the stream: a pending wait ends with the channel.
            changes.Writer.TryComplete();
        }
    }

    private static async Task PumpAsync(HttpResponse response, TapSession session, TapPodDirectory peers, ChannelReader<TapPodStatus> changes, CancellationToken cancellationToken)
    {
        var dropped = 0L;
        await using var events = session.ReadBatchesAsync(cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        var nextBatch = events.MoveNextAsync().AsTask();
        var nextChange = changes.WaitToReadAsync(cancellationToken).AsTask();
        while (true)
        {
            await Task.WhenAny(nextBatch, nextChange);
            while (changes.TryRead(out var status))
            {
                await WriteLineAsync(response, new TapStreamLine { Pod = status }, cancellationToken);
            }

            if (nextChange.IsCompleted)
            {
                await nextChange; // throws when the client went away
                nextChange = changes.WaitToReadAsync(cancellationToken).AsTask();
            }

            if (nextBatch.IsCompleted)
            {
                if (!await nextBatch)
                {
                    return;
                }

                foreach (var tapped in events.Current)
                {
                    var e = tapped.Event;
                    await WriteLineAsync(response, new TapStreamLine
                    {
                        TappedPod = tapped.Pod,
                        Event = e,
                        Source = peers.Peer(e.SourceLabels, e.Source),
                        Destination = peers.Peer(e.DestinationLabels, e.Destination),
                    }, cancellationToken);
                }

                if (session.Dropped != dropped)
                {
                    dropped = session.Dropped;
                    await WriteLineAsync(response, new TapStreamLine { Dropped = dropped }, cancellationToken);
                }

                nextBatch = events.MoveNextAsync().AsTask();
            }

            await response.Body.FlushAsync(cancellationToken);
        }
    }

    private static async Task WriteLineAsync(HttpResponse response, TapStreamLine line, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(line, TapStreamLine.Json), cancellationToken);
        await response.Body.WriteAsync(NewLine, cancellationToken);
    }

    private static (TapQuery? Query, string? Problem) Parse(IQueryCollection parameters)
    {
        string? Get(string name) => parameters.TryGetValue(name, out var value) ? value.ToString() : null;
        var (query, problems) = new TapQueryText
        {
            Namespace = Get("namespace"),
            Resource = Get("resource"),
            ToNamespace = Get("toNamespace"),
            ToResource = Get("toResource"),
            Method = Get("method"),
            Path = Get("path"),
            Authority = Get("authority"),
            Scheme = Get("scheme"),
            MaxRps = Get("maxRps"),
        }.Parse();
        var headers = Get(HeadersParameter);
        var extract = headers is null or "" or "false" ? false : headers == "true" ? true : (bool?)null;
        if (extract is null)
        {
            problems = [.. problems, $"{HeadersParameter}: '{headers}' is not true or false"];
        }

        return query is null || extract is null
            ? (null, string.Join("; ", problems))
            : (query with { ExtractHeaders = extract.Value }, null);
    }

    private static string? BearerToken(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) ? header.Parameter : null;

    private static Task ProblemAsync(HttpContext context, int status, string detail) =>
        Results.Problem(detail, statusCode: status).ExecuteAsync(context);
}
