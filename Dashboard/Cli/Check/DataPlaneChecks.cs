using Dashboard.Hosting;
using Dashboard.Kubernetes;

namespace Dashboard.Cli.Check;

/// <summary>
/// <c>data-plane</c> (<c>check --proxy</c>): every running meshed pod's proxy is ready, reports metrics to
/// Prometheus, and runs this CLI's version.
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
