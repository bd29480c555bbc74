namespace Dashboard.Proxy.Fleet.KubernetesApi;

internal enum KubeApiEndpoint { NotFound, Version, Health, CoreVersions, GroupList, Group, ResourceList, Collection, Object, PortForward, Review }

/// <summary>
/// What a request path names: a fixed endpoint, a discovery document, a collection (all namespaces
/// or one) or one object. Paths under <c>/watch/</c>, the older spelling of <c>?watch=true</c>, set <see cref="WatchPrefix"/>.
/// </summary>
internal sealed record KubeApiRoute(
    KubeApiEndpoint Endpoint,
    string? GroupOrVersion = null,
    KubeResource? Resource = null,
    string? Namespace = null,
    string? Name = null,
    bool WatchPrefix = false)
{
    public static KubeApiRoute NotFound { get; } = new(KubeApiEndpoint.NotFound);

    /// <summary>The stored resources' group versions and the reviews'.</summary>
    public static IReadOnlyList<string> AllGroupVersions { get; } = [.. KubeResources.GroupVersions, .. KubeReviews.GroupVersions];

    public static KubeApiRoute Parse(string? path) => (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries) switch
    {
        ["version"] => new(KubeApiEndpoint.Version),
        ["healthz" or "readyz" or "livez", ..] => new(KubeApiEndpoint.Health),
        ["api"] => new(KubeApiEndpoint.CoreVersions),
        ["api", "v1", "namespaces", var ns, "pods", var name, "portforward"] => new(KubeApiEndpoint.PortForward, "v1", null, ns, name),
        ["api", var version, .. var rest] => Resources(version, rest),
        ["apis"] => new(KubeApiEndpoint.GroupList),
        ["apis", var group] when AllGroupVersions.Any(gv => gv.StartsWith(group + "/", StringComparison.Ordinal))
            => new(KubeApiEndpoint.Group, group),
        ["apis", var group, var version, var plural] when KubeReviews.Resources.Any(r => (r.Group, r.Version, r.Plural) == (group, version, plural))
            => new(KubeApiEndpoint.Review, $"{group}/{version}", Name: plural),
        ["apis", var group, var version] when KubeReviews.GroupVersions.Contains($"{group}/{version}")
            => new(KubeApiEndpoint.ResourceList, $"{group}/{version}"),
        ["apis", var group, var version, .. var rest] => Resources($"{group}/{version}", rest),
        _ => NotFound,
    };

    private static KubeApiRoute Resources(string groupVersion, string[] rest)
    {
        if (!KubeResources.GroupVersions.Contains(groupVersion))
        {
            return NotFound;
        }
        var watch = rest is ["watch", ..];
        return (watch ? rest[1..] : rest) switch
        {
            [] when !watch => new(KubeApiEndpoint.ResourceList, groupVersion),
            [var plural] => ResourceRoute(groupVersion, plural, null, null, watch),
            [var plural, var name] => ResourceRoute(groupVersion, plural, null, name, watch),
            ["namespaces", var ns, var plural] => ResourceRoute(groupVersion, plural, ns, null, watch),
            ["namespaces", var ns, var plural, var name] => ResourceRoute(groupVersion, plural, ns, name, watch),
            _ => NotFound,
        };
    }

    // A namespaced resource is listed across namespaces without one but fetched only within one;
    // a cluster-scoped resource never sits under /namespaces/{ns}/.
    private static KubeApiRoute ResourceRoute(string groupVersion, string plural, string? ns, string? name, bool watch)
    {
        var resource = KubeResources.Find(groupVersion, plural);
        if (resource is null || (ns is not null && !resource.Namespaced) || (name is not null && ns is null && resource.Namespaced))
        {
            return NotFound;
        }
        var endpoint = name is null ? KubeApiEndpoint.Collection : KubeApiEndpoint.Object;
        return new(endpoint, groupVersion, resource, ns, name, watch);
    }
}
