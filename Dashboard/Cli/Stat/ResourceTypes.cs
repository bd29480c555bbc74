using Dashboard.Model;

namespace Dashboard.Cli.Stat;

/// <summary>Resource types as kubectl spells them: singular, plural and short names (<c>deploy</c>, <c>po</c>, <c>ns</c>, <c>sts</c>, <c>ds</c>), and <c>all</c>.</summary>
public static class ResourceTypes
{
    /// <summary>What <c>all</c> stands for: every kind with pods of its own, biggest first (namespaces are a scope, not a workload).</summary>
    public static IReadOnlyList<WorkloadKind> All { get; } =
        [WorkloadKind.Deployment, WorkloadKind.StatefulSet, WorkloadKind.DaemonSet, WorkloadKind.Job, WorkloadKind.Pod];

    public const string Expected = "one of deploy, sts, ds, job, po, ns or all (or their kubectl names, such as deployment or pods)";

    private static readonly Dictionary<string, WorkloadKind> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ns"] = WorkloadKind.Namespace,
        ["namespace"] = WorkloadKind.Namespace,
        ["namespaces"] = WorkloadKind.Namespace,
        ["deploy"] = WorkloadKind.Deployment,
        ["deployment"] = WorkloadKind.Deployment,
        ["deployments"] = WorkloadKind.Deployment,
        ["sts"] = WorkloadKind.StatefulSet,
        ["statefulset"] = WorkloadKind.StatefulSet,
        ["statefulsets"] = WorkloadKind.StatefulSet,
        ["ds"] = WorkloadKind.DaemonSet,
        ["daemonset"] = WorkloadKind.DaemonSet,
        ["daemonsets"] = WorkloadKind.DaemonSet,
        ["job"] = WorkloadKind.Job,
        ["jobs"] = WorkloadKind.Job,
        ["po"] = WorkloadKind.Pod,
        ["pod"] = WorkloadKind.Pod,
        ["pods"] = WorkloadKind.Pod,
    };

    /// <summary>The kinds <paramref name="type"/> names: one, or <see cref="All"/> for <c>all</c>.</summary>
    public static bool TryParse(string? type, out IReadOnlyList<WorkloadKind> kinds)
    {
        if (string.Equals(type, "all", StringComparison.OrdinalIgnoreCase))
        {
            kinds = All;
            return true;
        }

        if (type is not null && Names.TryGetValue(type, out var kind))
        {
            kinds = [kind];
            return true;
        }

        kinds = [];
        return false;
    }

    /// <summary>kubectl's singular lower-case name, as in <c>deployment/web</c>.</summary>
    public static string Singular(WorkloadKind kind) => kind.DisplayName().ToLowerInvariant();
}
