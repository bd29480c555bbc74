using System.Collections.Immutable;

namespace Dashboard.Kubernetes;

/// <summary>Joins what the watches hold into an <see cref="InventorySnapshot"/>: resolves pod owners and counts meshed/running pods.</summary>
internal static class InventorySnapshotBuilder
{
    private static readonly IComparer<string> KindOrder = Comparer<string>.Create(static (a, b) =>
        Rank(a).CompareTo(Rank(b)) is var byRank and not 0 ? byRank : string.CompareOrdinal(a, b));

    public static InventorySnapshot Build(
        long version,
        IEnumerable<string> namespaces,
        IEnumerable<WorkloadRecord> workloads,
        IReadOnlyDictionary<(string Namespace, string Name), ReplicaSetRecord> replicaSets,
        IEnumerable<PodRecord> pods)
    {
        var podInfos = pods
            .Select(p => new PodInfo(p.Namespace, p.Name, p.Phase, p.Ready, p.Meshed, ResolveOwner(p, replicaSets), p.PodIp, p.Labels) { ServiceAccount = p.ServiceAccount })
            .OrderBy(p => p.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToImmutableArray();
        var byOwner = new Dictionary<WorkloadRef, (int Meshed, int Running)>();
        var byNamespace = new Dictionary<string, (int Meshed, int Running)>(StringComparer.Ordinal);
        foreach (var pod in podInfos.Where(p => p.IsRunning))
        {
            var meshed = pod.Meshed ? 1 : 0;
            var inNamespace = byNamespace.GetValueOrDefault(pod.Namespace);
            byNamespace[pod.Namespace] = (inNamespace.Meshed + meshed, inNamespace.Running + 1);
            if (pod.Owner is { } owner)
            {
                var ofOwner = byOwner.GetValueOrDefault(owner);
                byOwner[owner] = (ofOwner.Meshed + meshed, ofOwner.Running + 1);
            }
        }

        var workloadInfos = workloads
            .Select(w => (Record: w, Counts: byOwner.GetValueOrDefault(w.Ref)))
            .Select(w => new WorkloadInfo(w.Record.Ref, w.Record.Labels, w.Counts.Meshed, w.Counts.Running))
            .OrderBy(w => w.Namespace, StringComparer.Ordinal)
            .ThenBy(w => w.Kind, KindOrder)
            .ThenBy(w => w.Name, StringComparer.Ordinal)
            .ToImmutableArray();

        // Pods and workloads can arrive before their namespace's own event; show their namespace anyway.
        var namespaceInfos = namespaces
            .Concat(podInfos.Select(p => p.Namespace))
            .Concat(workloadInfos.Select(w => w.Namespace))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(n => (Name: n, Counts: byNamespace.GetValueOrDefault(n)))
            .Select(n => new NamespaceInfo(n.Name, n.Counts.Meshed, n.Counts.Running))
            .ToImmutableArray();
        return new InventorySnapshot(version, namespaceInfos, workloadInfos, podInfos);
    }

    /// <summary>
    /// A pod's workload. A ReplicaSet's pods belong to the Deployment that owns the ReplicaSet; when
    /// the ReplicaSet is not (yet) known, to the Deployment its name implies (deployment-hash).
    /// A ReplicaSet without a Deployment, and kinds other than the four workloads, give null.
    /// </summary>
    public static WorkloadRef? ResolveOwner(PodRecord pod, IReadOnlyDictionary<(string Namespace, string Name), ReplicaSetRecord> replicaSets)
    {
        if (pod.OwnerKind is null || pod.OwnerName is null)
        {
            return null;
        }

        if (pod.OwnerKind == "ReplicaSet")
        {
            var deployment = replicaSets.TryGetValue((pod.Namespace, pod.OwnerName), out var replicaSet)
                ? replicaSet.Deployment
                : DeploymentFromReplicaSetName(pod.OwnerName, pod.Labels.GetValueOrDefault(KubeLabels.PodTemplateHash));
            return deployment is null ? null : new WorkloadRef(WorkloadKinds.Deployment, pod.Namespace, deployment);
        }

        return WorkloadKinds.All.Contains(pod.OwnerKind) ? new WorkloadRef(pod.OwnerKind, pod.Namespace, pod.OwnerName) : null;
    }

    /// <summary>"web-6d4cf56db6" → "web": the pod-template-hash suffix when the pod carries it, else the last dash.</summary>
    public static string? DeploymentFromReplicaSetName(string replicaSetName, string? podTemplateHash)
    {
        if (!string.IsNullOrEmpty(podTemplateHash) && replicaSetName.EndsWith("-" + podTemplateHash, StringComparison.Ordinal)
            && replicaSetName.Length > podTemplateHash.Length + 1)
        {
            return replicaSetName[..^(podTemplateHash.Length + 1)];
        }

        var dash = replicaSetName.LastIndexOf('-');
        return dash > 0 ? replicaSetName[..dash] : null;
    }

    private static int Rank(string kind) => WorkloadKinds.All.IndexOf(kind) is var i and >= 0 ? i : int.MaxValue;
}
