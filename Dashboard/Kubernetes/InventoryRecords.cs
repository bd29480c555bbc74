namespace Dashboard.Kubernetes;

/// <summary>What the inventory keeps of a pod between rebuilds: the pod's own facts, its owner not yet resolved.</summary>
internal sealed record PodRecord(
    string Namespace,
    string Name,
    string Phase,
    bool Ready,
    bool Meshed,
    string? OwnerKind,
    string? OwnerName,
    string? PodIp,
    IReadOnlyDictionary<string, string> Labels,
    string ServiceAccount = Contracts.Identity.IdentityNames.DefaultServiceAccount);

/// <summary>A ReplicaSet, kept only to find the Deployment its pods belong to.</summary>
internal sealed record ReplicaSetRecord(string Namespace, string Name, string? Deployment);

internal sealed record WorkloadRecord(WorkloadRef Ref, IReadOnlyDictionary<string, string> Labels);
