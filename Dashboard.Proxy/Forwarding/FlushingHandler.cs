namespace Dashboard.Proxy.Forwarding;

/// <summary>Gives request bodies of unknown length a <see cref="FlushingContent"/> on their way to the upstream.</summary>
internal sealed class FlushingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content && content.Headers.ContentLength is null)
        {
            request.Content = new FlushingContent(content);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
