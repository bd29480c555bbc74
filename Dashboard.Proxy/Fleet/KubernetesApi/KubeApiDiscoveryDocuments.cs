using k8s;
using k8s.Models;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// The discovery documents, serialized once. kubectl first asks for aggregated discovery
/// (apidiscovery.k8s.io/v2) but lists plain application/json last in its Accept header, so the
/// legacy documents here (/api, /apis, /api/v1, /apis/{group}/{version}) satisfy it.
/// </summary>
internal static class KubeApiDiscoveryDocuments
{
    private static readonly string[] ReadOnlyVerbs = ["get", "list", "watch"];
    private static readonly string[] CreateOnly = ["create"];

    private static readonly Dictionary<string, string> ResourceLists = KubeApiRoute.AllGroupVersions
        .ToDictionary(gv => gv, gv => KubernetesJson.Serialize(ResourceList(gv)));

    private static readonly Dictionary<string, string> GroupDocuments = Groups()
        .ToDictionary(g => g.Name, g => KubernetesJson.Serialize(g));

    /// <summary>The Kubernetes release this server claims to be.</summary>
    public static string Version { get; } = KubernetesJson.Serialize(new VersionInfo
    {
        Major = "1",
        Minor = "30",
        GitVersion = "v1.30.0",
        GitCommit = "0000000000000000000000000000000000000000",
        GitTreeState = "clean",
        BuildDate = "2024-04-17T00:00:00Z",
        GoVersion = "go1.22.2",
        Compiler = "gc",
        Platform = "linux/amd64",
    });

    public static string CoreVersions { get; } = KubernetesJson.Serialize(new V1APIVersions
    {
        Kind = "APIVersions",
        Versions = ["v1"],
        ServerAddressByClientCIDRs = [],
    });

    public static string GroupList { get; } = KubernetesJson.Serialize(new V1APIGroupList
    {
        Kind = "APIGroupList",
        ApiVersion = "v1",
        Groups = [.. Groups()],
    });

    public static string? Group(string name) => GroupDocuments.GetValueOrDefault(name);

    public static string? ResourceListJson(string groupVersion) => ResourceLists.GetValueOrDefault(groupVersion);

    private static IEnumerable<V1APIGroup> Groups() => KubeResources.All
        .Where(r => r.Group.Length > 0)
        .Select(r => (r.Group, r.Version))
        .Concat(KubeReviews.Resources.Select(r => (r.Group, r.Version)))
        .GroupBy(r => r.Group)
        .Select(g =>
        {
            var version = new V1GroupVersionForDiscovery { GroupVersion = $"{g.Key}/{g.First().Version}", Version = g.First().Version };
            return new V1APIGroup
            {
                Kind = "APIGroup",
                ApiVersion = "v1",
                Name = g.Key,
                Versions = [version],
                PreferredVersion = version,
            };
        });

    private static V1APIResourceList ResourceList(string groupVersion) => new()
    {
        Kind = "APIResourceList",
        ApiVersion = "v1",
        GroupVersion = groupVersion,
        Resources = [.. KubeResources.In(groupVersion).Select(r => new V1APIResource
        {
            Name = r.Plural,
            SingularName = r.Singular,
            Namespaced = r.Namespaced,
            Kind = r.Kind,
            Verbs = ReadOnlyVerbs,
            ShortNames = r.ShortNames.Count > 0 ? [.. r.ShortNames] : null,
            Categories = r.InCategoryAll ? ["all"] : null,
        }), .. KubeReviews.Resources.Where(r => $"{r.Group}/{r.Version}" == groupVersion).Select(r => new V1APIResource
        {
            Name = r.Plural,
            SingularName = r.Kind.ToLowerInvariant(),
            Namespaced = false,
            Kind = r.Kind,
            Verbs = CreateOnly,
        })],
    };
}
