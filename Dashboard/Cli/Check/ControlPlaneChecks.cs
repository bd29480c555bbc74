using Dashboard.Hosting;
using Dashboard.Kubernetes;
using Dashboard.Model;

namespace Dashboard.Cli.Check;

/// <summary>
/// <c>control-plane</c> (after install): the control plane runs, in the cluster (its namespace, dashboard and
/// Prometheus pods ready) or on this machine (a dashboard answering at <c>--dashboard-url</c>), and runs this CLI's version.
/// </summary>
public sealed class ControlPlaneChecks : ICheckProvider
{
    public const string Category = "control-plane";

    private const string InClusterFact = "control-plane.in-cluster";

    public IEnumerable<CheckCategory> Categories(CheckOptions options)
    {
        if (options.Pre)
        {
            yield break;
        }

        yield return new CheckCategory(Category,
        [
            new("control plane is installed", InstalledAsync),
            new("dashboard pods are ready", (context, ct) => PodsReadyAsync(context, ControlPlane.DashboardName, ct)),
            new("prometheus pods are ready", (context, ct) => context.Cli.PrometheusGiven
                ? Task.FromResult(CheckResult.NotApplicable)
                : PodsReadyAsync(context, ControlPlane.PrometheusName, ct)),
            new("control plane and CLI versions match", VersionsMatchAsync),
        ]);
    }

    private static async Task<CheckResult?> InstalledAsync(CheckContext context, CancellationToken cancellationToken)
    {
        if (await ControlPlaneLocator.IsInClusterAsync(context.Cli, cancellationToken).ConfigureAwait(false))
        {
            context.Set(InClusterFact, true);
            return CheckResult.Ok;
        }

        var (_, error) = await ControlPlaneLocator.DashboardVersionAsync(context.Cli, inCluster: false, cancellationToken).ConfigureAwait(false);
        if (error is null)
        {
            context.Set(InClusterFact, false);
            return CheckResult.Ok;
        }

        return CheckResult.Fail($"no namespace '{context.Cli.ControlPlaneNamespace}' in the cluster and no dashboard at {context.Cli.DashboardUrl}: " +
            "install the control plane (dashboard install | kubectl apply -f -) or start it here (./run.sh)");
    }

    private static async Task<CheckResult?> PodsReadyAsync(CheckContext context, string deployment, CancellationToken cancellationToken)
    {
        if (!context.Get<bool>(InClusterFact))
        {
            return CheckResult.NotApplicable;
        }

        var inventory = await context.InventoryAsync(cancellationToken).ConfigureAwait(false);
        var pods = inventory.PodsOf(new ResourceKey(WorkloadKind.Deployment, context.Cli.ControlPlaneNamespace, deployment));
        if (pods.IsEmpty)
        {
            return CheckResult.Fail($"no pods of deployment {deployment} in namespace {context.Cli.ControlPlaneNamespace}: kubectl -n {context.Cli.ControlPlaneNamespace} describe deployment {deployment}");
        }

        var unready = pods.Where(p => !p.IsRunning || !p.Ready).Select(p => $"{p.Name} ({p.Phase}{(p.Ready ? "" : ", not ready")})").ToList();
        return unready.Count == 0
            ? CheckResult.Ok
            : CheckResult.Fail($"{CheckText.List(unready)}: kubectl -n {context.Cli.ControlPlaneNamespace} describe pod {pods.First(p => !p.IsRunning || !p.Ready).Name}");
    }

    private static async Task<CheckResult?> VersionsMatchAsync(CheckContext context, CancellationToken cancellationToken)
    {
        if (context.Get<bool?>(InClusterFact) is not { } inCluster)
        {
            return CheckResult.NotApplicable;
        }

        var (version, error) = await ControlPlaneLocator.DashboardVersionAsync(context.Cli, inCluster, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return CheckResult.Fail(error!);
        }

        return version == BuildVersion.Current
            ? CheckResult.Ok
            : CheckResult.Warn($"the dashboard runs {version}, this CLI is {BuildVersion.Current}: upgrade one of them");
    }
}
