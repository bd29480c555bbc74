using Dashboard.Contracts.Identity;

namespace Dashboard.Kubernetes;

/// <summary>One pod as the dashboard shows it.</summary>
/// <param name="Phase">Kubernetes' pod phase: Pending, Running, Succeeded, Failed or Unknown.</param>
/// <param name="Ready">The pod's Ready condition (or, without conditions, all its containers ready).</param>
/// <param name="Meshed">Whether the label <see cref="KubeLabels.ControlPlaneNamespace"/> is set.</param>
/// <param name="Owner">The workload the pod belongs to; a ReplicaSet's pods belong to its Deployment. Null for bare pods.</param>
public sealed record PodInfo(
    string Namespace,
    string Name,
    string Phase,
    bool Ready,
    bool Meshed,
    WorkloadRef? Owner,
    string? PodIp,
    IReadOnlyDictionary<string, string> Labels)
{
    public const string RunningPhase = "Running";

    public bool IsRunning => Phase == RunningPhase;

    /// <summary>The pod's ServiceAccount, which names its workload identity (<c>default</c> when the spec names none).</summary>
    public string ServiceAccount { get; init; } = IdentityNames.DefaultServiceAccount;
}
