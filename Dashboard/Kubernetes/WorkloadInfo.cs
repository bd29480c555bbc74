namespace Dashboard.Kubernetes;

/// <summary>A workload with its pod counts: the MESHED column is <see cref="MeshedPods"/>/<see cref="RunningPods"/>.</summary>
/// <param name="MeshedPods">Pods that are meshed and running.</param>
/// <param name="RunningPods">Pods that are running.</param>
public sealed record WorkloadInfo(WorkloadRef Ref, IReadOnlyDictionary<string, string> Labels, int MeshedPods, int RunningPods)
{
    public string Kind => Ref.Kind;

    public string Namespace => Ref.Namespace;

    public string Name => Ref.Name;
}
