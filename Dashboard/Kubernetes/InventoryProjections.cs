using System.Collections.ObjectModel;
using Dashboard.Contracts.Identity;
using k8s.Models;

namespace Dashboard.Kubernetes;

/// <summary>
/// Reduces Kubernetes objects to the few fields the inventory keeps, so that thousands of pods cost
/// kilobytes, not their full specs.
/// </summary>
internal static class InventoryProjections
{
    public static string Namespace(V1Namespace ns) => ns.Metadata.Name;

    public static PodRecord Pod(V1Pod pod)
    {
        var meta = pod.Metadata;
        var labels = Labels(meta.Labels);
        var owner = ControllerOf(meta);
        return new PodRecord(
            meta.NamespaceProperty ?? "",
            meta.Name,
            pod.Status?.Phase ?? "Unknown",
            IsReady(pod.Status),
            labels.TryGetValue(KubeLabels.ControlPlaneNamespace, out var controlPlane) && controlPlane.Length > 0,
            owner?.Kind,
            owner?.Name,
            pod.Status?.PodIP,
            labels,
            pod.Spec?.ServiceAccountName is { Length: > 0 } account ? account : IdentityNames.DefaultServiceAccount);
    }

    public static ReplicaSetRecord ReplicaSet(V1ReplicaSet replicaSet)
    {
        var owner = ControllerOf(replicaSet.Metadata);
        var deployment = owner?.Kind == WorkloadKinds.Deployment ? owner.Name : null;
        return new ReplicaSetRecord(replicaSet.Metadata.NamespaceProperty ?? "", replicaSet.Metadata.Name, deployment);
    }

    public static WorkloadRecord Workload(string kind, V1ObjectMeta meta) =>
        new(new WorkloadRef(kind, meta.NamespaceProperty ?? "", meta.Name), Labels(meta.Labels));

    // The controller reference is the owner that manages the object; without one, the first owner.
    private static V1OwnerReference? ControllerOf(V1ObjectMeta meta) =>
        meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true) ?? meta.OwnerReferences?.FirstOrDefault();

    // Kubernetes' own readiness when reported; a server that reports only container statuses
    // (like the fleet's) is read through them.
    private static bool IsReady(V1PodStatus? status)
    {
        if (status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { } ready)
        {
            return string.Equals(ready.Status, "True", StringComparison.OrdinalIgnoreCase);
        }

        return status?.ContainerStatuses is { Count: > 0 } containers && containers.All(c => c.Ready);
    }

    private static ReadOnlyDictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        labels is null || labels.Count == 0
            ? ReadOnlyDictionary<string, string>.Empty
            : new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(labels, StringComparer.Ordinal));
}
