using Dashboard.Contracts.Metrics;
using Dashboard.Hosting;
using Dashboard.Kubernetes;
using Dashboard.Metrics;

namespace Dashboard.Cli.Check;

/// <summary>
/// <c>data-plane</c> (<c>check --proxy</c>): every running meshed pod's proxy is ready, reports metrics to
/// Prometheus, reaches its destination service, and runs this CLI's version.
/// </summary>
public sealed class DataPlaneChecks : ICheckProvider
{
    public const string Category = "data-plane";

    public IEnumerable<CheckCategory> Categories(CheckOptions options)
    {
        if (options.Pre || !options.Proxy)
        {
            yield break;
        }

        yield return new CheckCategory(Category,
        [
            new("data plane proxies are ready", ReadyAsync),
            new("data plane proxies report metrics", ReportingAsync),
            new("data plane proxies reach the destination service", DestinationServiceAsync),
            new("data plane and CLI versions match", VersionsAsync),
        ]);
    }

    private static async Task<IReadOnlyList<PodInfo>> MeshedPodsAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var inventory = await context.InventoryAsync(cancellationToken).ConfigureAwait(false);
        return [.. inventory.Pods.Where(p => p.Meshed && p.IsRunning && (context.Options.Namespace is null || p.Namespace == context.Options.Namespace))];
    }

    private static async Task<CheckResult?> ReadyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var pods = await MeshedPodsAsync(context, cancellationToken).ConfigureAwait(false);
        if (pods.Count == 0)
        {
            var where = context.Options.Namespace is { } ns ? $" in namespace {ns}" : "";
            return CheckResult.Warn($"no running meshed pods{where}: add the proxy with dashboard inject");
        }

        var unready = pods.Where(p => !p.Ready).Select(Name).ToList();
        return unready.Count == 0
            ? CheckResult.Ok
            : CheckResult.Fail($"not ready: {CheckText.List(unready)}; see kubectl describe pod and the {ControlPlane.ProxyContainer} container's log");
    }

    private static async Task<CheckResult?> ReportingAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var pods = await MeshedPodsAsync(context, cancellationToken).ConfigureAwait(false);
        var reporting = (await context.ProxyBuildsAsync(cancellationToken).ConfigureAwait(false))
            .Select(p => (p.Namespace, p.Pod)).ToHashSet();
        var silent = pods.Where(p => !reporting.Contains((p.Namespace, p.Name))).Select(Name).ToList();
        return silent.Count == 0
            ? CheckResult.Ok
            : CheckResult.Fail($"no metrics in Prometheus from {CheckText.List(silent)}: is the pod ready, and does Prometheus scrape its linkerd-admin port?");
    }

    /// <summary>
    /// A warning, not a failure: a proxy that cannot reach its destination service still routes by the endpoints it last
    /// had, but misses every change since.
    /// </summary>
    private static async Task<CheckResult?> DestinationServiceAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var samples = await context.Cli.Prometheus.QueryAsync(PromQl.UnreachableDestinationServices, time: null, cancellationToken).ConfigureAwait(false);
        return DestinationService(
            [.. samples.Select(s => new UnreachableDestinationService(s.Label(LabelNames.Namespace) ?? "", s.Label(LabelNames.Pod) ?? "", s.Label(LabelNames.Addr) ?? ""))],
            context.Options.Namespace, context.Cli.ControlPlaneNamespace);
    }

    /// <summary>The destination-service check from the proxies reporting it unreachable (those outside <paramref name="namespace"/> aside).</summary>
    public static CheckResult DestinationService(IReadOnlyList<UnreachableDestinationService> unreachable, string? @namespace, string controlPlaneNamespace)
    {
        var pods = unreachable.Where(u => @namespace is null || u.Namespace == @namespace).ToList();
        if (pods.Count == 0)
        {
            return CheckResult.Ok;
        }

        var addresses = string.Join(", ", pods.Select(p => p.Address).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return CheckResult.Warn($"the destination service ({addresses}) is unreachable from {CheckText.List([.. pods.Select(p => $"{p.Namespace}/{p.Pod}")])}, " +
            $"which route by the endpoints they last had: is {ControlPlane.DestinationName} running? kubectl -n {controlPlaneNamespace} get deploy {ControlPlane.DestinationName}");
    }

    private static async Task<CheckResult?> VersionsAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var proxies = (await context.ProxyBuildsAsync(cancellationToken).ConfigureAwait(false))
            .Where(p => context.Options.Namespace is null || p.Namespace == context.Options.Namespace);
        var other = proxies.Where(p => p.Version != BuildVersion.Current).Select(p => $"{p.Namespace}/{p.Pod} ({p.Version})").ToList();
        return other.Count == 0
            ? CheckResult.Ok
            : CheckResult.Warn($"this CLI is {BuildVersion.Current}, but {CheckText.List(other)}: inject again and restart those pods");
    }

    private static string Name(PodInfo pod) => $"{pod.Namespace}/{pod.Name}";
}

/// <summary>A proxy whose <c>control_destination_reachable</c> is 0: its pod and the address it cannot reach.</summary>
public sealed record UnreachableDestinationService(string Namespace, string Pod, string Address);
