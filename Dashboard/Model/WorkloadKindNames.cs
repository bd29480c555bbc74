using System.Collections.Frozen;
using Dashboard.Kubernetes;

namespace Dashboard.Model;

/// <summary>Every way one <see cref="WorkloadKind"/> is written; <see cref="WorkloadKindExtensions"/> reads the table.</summary>
/// <param name="Kubernetes">Kubernetes' <c>kind</c> field (<see cref="WorkloadKinds"/> for the workloads), also the UI's name.</param>
/// <param name="Plural">kubectl's plural and the URL segment, as in Kubernetes' REST paths (<c>/deployments/web</c>).</param>
/// <param name="Singular">kubectl's singular, as in <c>deployment/web</c>.</param>
/// <param name="Short">kubectl's and Linkerd's short name, as in <c>deploy/web</c>.</param>
/// <param name="PromLabel">
/// The label Prometheus attaches at scrape time: Linkerd's relabelling names (<c>k8s_job</c> because <c>job</c> is
/// Prometheus' own scrape-job label).
/// </param>
internal sealed record WorkloadKindNames(WorkloadKind Kind, string Kubernetes, string Plural, string Singular, string Short, string PromLabel)
{
    /// <summary>In the order the CLI lists them: the workloads biggest first, then pods, then namespaces.</summary>
    public static IReadOnlyList<WorkloadKindNames> All { get; } =
    [
        new(WorkloadKind.Deployment, WorkloadKinds.Deployment, "deployments", "deployment", "deploy", "deployment"),
        new(WorkloadKind.StatefulSet, WorkloadKinds.StatefulSet, "statefulsets", "statefulset", "sts", "statefulset"),
        new(WorkloadKind.DaemonSet, WorkloadKinds.DaemonSet, "daemonsets", "daemonset", "ds", "daemonset"),
        new(WorkloadKind.Job, WorkloadKinds.Job, "jobs", "job", "job", "k8s_job"),
        new(WorkloadKind.Pod, "Pod", "pods", "pod", "po", "pod"),
        new(WorkloadKind.Namespace, "Namespace", "namespaces", "namespace", "ns", "namespace"),
    ];

    // After All: static initialisers run in the order they are written.
    private static readonly FrozenDictionary<WorkloadKind, WorkloadKindNames> ByKind = All.ToFrozenDictionary(n => n.Kind);

    public static WorkloadKindNames Of(WorkloadKind kind) => ByKind.TryGetValue(kind, out var names)
        ? names
        : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a known workload kind");
}
