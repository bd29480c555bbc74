namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>One resource the API server serves: where it lives in the URL space, its model type and how kubectl prints it.</summary>
internal sealed record KubeResource(
    Type ModelType,
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    bool InCategoryAll,
    KubeTablePrinter Printer)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string Singular => Kind.ToLowerInvariant();

    public string ListKind => Kind + "List";

    /// <summary>"deployments.apps", as the real API names a resource in its messages.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
