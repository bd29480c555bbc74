namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>A column of a meta.k8s.io Table; kubectl shows priority 0 always and the others with -o wide.</summary>
internal sealed record KubeTableColumn(string Name, string Description, int Priority = 0, string Type = "string", string Format = "");
