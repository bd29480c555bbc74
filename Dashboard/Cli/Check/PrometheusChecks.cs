namespace Dashboard.Cli.Check;

/// <summary><c>prometheus</c> (after install): Prometheus answers queries and scrapes the meshed pods' proxies.</summary>
public sealed class PrometheusChecks : ICheckProvider
{
    public const string Category = "prometheus";

    public IEnumerable<CheckCategory> Categories(CheckOptions options)
    {
        if (options.Pre)
        {
            yield break;
        }

        yield return new CheckCategory(Category,
        [
            new("can query Prometheus", QueryAsync),
            new("is scraping meshed pods", ScrapingAsync),
        ]);
    }

    private static async Task<CheckResult?> QueryAsync(CheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.ProxyBuildsAsync(cancellationToken).ConfigureAwait(false);
            return CheckResult.Ok;
        }
        catch (Metrics.PrometheusException e)
        {
            return CheckResult.Fail($"{e.Message}; pass --prometheus URL (in a cluster: kubectl -n {context.Cli.ControlPlaneNamespace} port-forward svc/{ControlPlane.PrometheusName} 9090)");
        }
    }

    private static async Task<CheckResult?> ScrapingAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var proxies = await context.ProxyBuildsAsync(cancellationToken).ConfigureAwait(false);
        if (proxies.Count > 0)
        {
            return CheckResult.Ok;
        }

        var inventory = await context.InventoryAsync(cancellationToken).ConfigureAwait(false);
        return inventory.Pods.Any(p => p.Meshed && p.IsRunning)
            ? CheckResult.Fail($"Prometheus at {context.Cli.PrometheusUrl} has no proxy metrics (proxy_build_info): its scrape config must select the meshed pods' linkerd-admin port")
            : CheckResult.Warn("no meshed pods to scrape yet: add the proxy with dashboard inject");
    }
}
