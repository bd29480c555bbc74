namespace Dashboard.Model;

/// <summary>Which rows a stat table holds.</summary>
public enum TableRelation
{
    /// <summary>Every resource of the kind in the namespace (or in all namespaces).</summary>
    Members,

    /// <summary>The one resource <see cref="TableScope.Of"/>: a resource page's own row.</summary>
    Self,

    /// <summary>The pods of the workload <see cref="TableScope.Of"/>.</summary>
    Pods,

    /// <summary>The meshed workloads that called <see cref="TableScope.Of"/>, as their outbound proxies measured it.</summary>
    Callers,

    /// <summary>The workloads <see cref="TableScope.Of"/> called, as its outbound proxy measured it.</summary>
    Destinations,
}

/// <summary>The rows of a stat table: a kind in a namespace, or a relation of one resource.</summary>
/// <param name="Kind">The kind of the rows.</param>
/// <param name="Namespace">The namespace of the rows (null: every namespace), for <see cref="TableRelation.Members"/>.</param>
public readonly record struct TableScope(WorkloadKind Kind, string? Namespace, TableRelation Relation = TableRelation.Members, ResourceKey? Of = null)
{
    public static TableScope Members(WorkloadKind kind, string? @namespace) => new(kind, @namespace);

    public static TableScope Related(ResourceKey resource, TableRelation relation) => relation switch
    {
        TableRelation.Pods => new(WorkloadKind.Pod, resource.Namespace, relation, resource),
        TableRelation.Members => throw new ArgumentOutOfRangeException(nameof(relation), relation, "members are not related to a resource"),
        _ => new(resource.Kind, resource.Namespace, relation, resource),
    };

    public override string ToString() => Of is { } of
        ? $"{Relation.ToString().ToLowerInvariant()} of {of}"
        : $"{Kind.UrlSegment()} in {Namespace ?? "all namespaces"}";

    /// <summary>Whether rows of several namespaces may appear (callers and destinations cross namespaces).</summary>
    public bool SpansNamespaces => Relation is TableRelation.Callers or TableRelation.Destinations || (Relation == TableRelation.Members && Namespace is null);
}
