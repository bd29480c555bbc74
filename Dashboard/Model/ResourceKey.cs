namespace Dashboard.Model;

/// <summary>One row of a stats table. For <see cref="WorkloadKind.Namespace"/>, <c>Namespace == Name</c>.</summary>
public readonly record struct ResourceKey(WorkloadKind Kind, string Namespace, string Name)
{
    public static ResourceKey ForNamespace(string name) => new(WorkloadKind.Namespace, name, name);

    /// <summary>The dashboard page of this resource, relative to the base href (so it works under a path base).</summary>
    public string PagePath => Kind == WorkloadKind.Namespace
        ? $"namespaces/{Uri.EscapeDataString(Name)}"
        : $"namespaces/{Uri.EscapeDataString(Namespace)}/{Kind.UrlSegment()}/{Uri.EscapeDataString(Name)}";

    /// <summary>The singular kind and the name, as kubectl and the CLI write one resource: <c>deployment/test-2</c>, <c>namespace/shop</c>.</summary>
    public string KindName => $"{Kind.SingularName()}/{Name}";

    public override string ToString() => Kind == WorkloadKind.Namespace
        ? $"{Kind.UrlSegment()}/{Name}"
        : $"{Namespace}/{Kind.UrlSegment()}/{Name}";
}
