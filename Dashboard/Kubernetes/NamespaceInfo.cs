namespace Dashboard.Kubernetes;

/// <summary>A namespace with the counts over all its pods, whatever owns them.</summary>
/// <param name="MeshedPods">Pods that are meshed and running.</param>
/// <param name="RunningPods">Pods that are running.</param>
public sealed record NamespaceInfo(string Name, int MeshedPods, int RunningPods);
