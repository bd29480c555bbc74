namespace Dashboard.Kubernetes;

/// <summary>A workload by kind (one of <see cref="WorkloadKinds"/>), namespace and name.</summary>
public readonly record struct WorkloadRef(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Kind}/{Name}";
}
