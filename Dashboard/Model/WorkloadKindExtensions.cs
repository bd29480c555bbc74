namespace Dashboard.Model;

/// <summary>How each <see cref="WorkloadKind"/> is named in Prometheus labels, URLs and the UI.</summary>
public static class WorkloadKindExtensions
{
    /// <summary>
    /// The label Prometheus attaches at scrape time. These are Linkerd's relabelling names
    /// (<c>k8s_job</c> because <c>job</c> is Prometheus' own scrape-job label).
    /// </summary>
    public static string PromLabel(this WorkloadKind kind) => kind switch
    {
        WorkloadKind.Namespace => "namespace",
        WorkloadKind.Deployment => "deployment",
        WorkloadKind.StatefulSet => "statefulset",
        WorkloadKind.DaemonSet => "daemonset",
        WorkloadKind.Job => "k8s_job",
        WorkloadKind.Pod => "pod",
        _ => throw Unknown(kind),
    };

    /// <summary>The label the proxy puts on outbound metrics for the destination, e.g. <c>dst_deployment</c>.</summary>
    public static string DstPromLabel(this WorkloadKind kind) => "dst_" + kind.PromLabel();

    /// <summary>The plural path segment, as in Kubernetes' REST paths (<c>/deployments/web</c>).</summary>
    public static string UrlSegment(this WorkloadKind kind) => kind switch
    {
        WorkloadKind.Namespace => "namespaces",
        WorkloadKind.Deployment => "deployments",
        WorkloadKind.StatefulSet => "statefulsets",
        WorkloadKind.DaemonSet => "daemonsets",
        WorkloadKind.Job => "jobs",
        WorkloadKind.Pod => "pods",
        _ => throw Unknown(kind),
    };

    public static string DisplayName(this WorkloadKind kind) => kind switch
    {
        WorkloadKind.Namespace => "Namespace",
        WorkloadKind.Deployment => "Deployment",
        WorkloadKind.StatefulSet => "StatefulSet",
        WorkloadKind.DaemonSet => "DaemonSet",
        WorkloadKind.Job => "Job",
        WorkloadKind.Pod => "Pod",
        _ => throw Unknown(kind),
    };

    /// <summary>The kind whose <see cref="UrlSegment"/> is <paramref name="segment"/> (case-insensitive).</summary>
    public static bool TryParseUrlSegment(string? segment, out WorkloadKind kind)
    {
        foreach (var candidate in Enum.GetValues<WorkloadKind>())
        {
            if (string.Equals(candidate.UrlSegment(), segment, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    private static ArgumentOutOfRangeException Unknown(WorkloadKind kind) =>
        new(nameof(kind), kind, "not a known workload kind");
}
