namespace Dashboard.Model;

/// <summary>How each <see cref="WorkloadKind"/> is named in Prometheus labels, URLs, the CLI and the UI (<see cref="WorkloadKindNames"/>).</summary>
public static class WorkloadKindExtensions
{
    /// <summary>The kinds that are Kubernetes workloads (they own pods), in the order tables list them.</summary>
    public static IReadOnlyList<WorkloadKind> Workloads { get; } =
        [.. WorkloadKindNames.All.Select(n => n.Kind).Where(k => k is not (WorkloadKind.Pod or WorkloadKind.Namespace))];

    /// <summary>Every kind in the order the CLI lists them (workloads, pods, namespaces).</summary>
    public static IReadOnlyList<WorkloadKind> InCliOrder { get; } = [.. WorkloadKindNames.All.Select(n => n.Kind)];

    /// <summary>
    /// The label Prometheus attaches at scrape time. These are Linkerd's relabelling names
    /// (<c>k8s_job</c> because <c>job</c> is Prometheus' own scrape-job label).
    /// </summary>
    public static string PromLabel(this WorkloadKind kind) => WorkloadKindNames.Of(kind).PromLabel;

    /// <summary>The label the proxy puts on outbound metrics for the destination, e.g. <c>dst_deployment</c>.</summary>
    public static string DstPromLabel(this WorkloadKind kind) => "dst_" + kind.PromLabel();

    /// <summary>The plural path segment, as in Kubernetes' REST paths (<c>/deployments/web</c>); also kubectl's plural.</summary>
    public static string UrlSegment(this WorkloadKind kind) => WorkloadKindNames.Of(kind).Plural;

    /// <summary>Kubernetes' <c>kind</c> (<c>Deployment</c>, <c>StatefulSet</c>), which the UI shows too.</summary>
    public static string DisplayName(this WorkloadKind kind) => WorkloadKindNames.Of(kind).Kubernetes;

    /// <summary>kubectl's singular lower-case name, as in <c>deployment/web</c>.</summary>
    public static string SingularName(this WorkloadKind kind) => WorkloadKindNames.Of(kind).Singular;

    /// <summary>The short name kubectl and Linkerd print, as in <c>deploy/web</c>, <c>po/web-0</c>, <c>ns/default</c>.</summary>
    public static string ShortName(this WorkloadKind kind) => WorkloadKindNames.Of(kind).Short;

    /// <summary>The kind whose <see cref="UrlSegment"/> is <paramref name="segment"/> (case-insensitive).</summary>
    public static bool TryParseUrlSegment(string? segment, out WorkloadKind kind) =>
        TryFind(n => string.Equals(n.Plural, segment, StringComparison.OrdinalIgnoreCase), out kind);

    /// <summary>The kind a command line or a tap query names: its short, singular or plural name, in any case (<c>deploy</c>, <c>Deployments</c>).</summary>
    public static bool TryParseName(string? name, out WorkloadKind kind) =>
        TryFind(n => string.Equals(n.Short, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(n.Singular, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(n.Plural, name, StringComparison.OrdinalIgnoreCase), out kind);

    /// <summary>The kind of a Kubernetes <c>kind</c> field (<c>Deployment</c>), for a pod's owner; false for kinds without pages (ReplicaSet).</summary>
    public static bool TryParseKubernetesKind(string? kubernetesKind, out WorkloadKind kind) =>
        TryFind(n => string.Equals(n.Kubernetes, kubernetesKind, StringComparison.Ordinal), out kind);

    private static bool TryFind(Func<WorkloadKindNames, bool> match, out WorkloadKind kind)
    {
        foreach (var names in WorkloadKindNames.All)
        {
            if (match(names))
            {
                kind = names.Kind;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
