using k8s.Models;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// Kubernetes RBAC over the store's rbac.authorization.k8s.io/v1 objects, as kube-apiserver's RBAC authorizer decides
/// a SubjectAccessReview: ClusterRoleBindings grant everywhere, RoleBindings in their namespace (of a Role there or a
/// ClusterRole); a subject is a User, a Group or a ServiceAccount (<c>system:serviceaccount:NS:NAME</c>); a rule
/// matches when its apiGroups, resources (<c>res/sub</c>, <c>*/sub</c>), verbs and resourceNames do, <c>*</c> matching
/// any. Only allows: a request nothing grants gets "no opinion", <c>allowed: false</c> and an empty reason, as the real
/// server answers. Non-resource URLs are not served by this API, so no rule grants them.
/// </summary>
public static class KubeRbacAuthorizer
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    public static V1SubjectAccessReviewStatus Review(KubeStore store, V1SubjectAccessReviewSpec spec)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.ResourceAttributes is not { } attributes)
        {
            return new V1SubjectAccessReviewStatus { Allowed = false, Reason = "" };
        }

        var user = spec.User ?? "";
        var groups = spec.Groups ?? [];
        foreach (var binding in store.List<V1ClusterRoleBinding>())
        {
            if (Subject(binding.Subjects, user, groups, null) is { } subject && binding.RoleRef.Kind == "ClusterRole"
                && store.Get<V1ClusterRole>(null, binding.RoleRef.Name)?.Rules is { } rules && rules.Any(r => Matches(r, attributes)))
            {
                return Allowed($"ClusterRoleBinding \"{binding.Metadata.Name}\" of ClusterRole \"{binding.RoleRef.Name}\"", subject);
            }
        }

        if (attributes.NamespaceProperty is { Length: > 0 } ns)
        {
            foreach (var binding in store.List<V1RoleBinding>(ns))
            {
                var rules = binding.RoleRef.Kind switch
                {
                    "ClusterRole" => store.Get<V1ClusterRole>(null, binding.RoleRef.Name)?.Rules,
                    "Role" => store.Get<V1Role>(ns, binding.RoleRef.Name)?.Rules,
                    _ => null,
                };
                if (Subject(binding.Subjects, user, groups, ns) is { } subject && rules is not null && rules.Any(r => Matches(r, attributes)))
                {
                    return Allowed($"RoleBinding \"{binding.Metadata.Name}/{ns}\" of {binding.RoleRef.Kind} \"{binding.RoleRef.Name}\"", subject);
                }
            }
        }

        return new V1SubjectAccessReviewStatus { Allowed = false, Reason = "" };
    }

    /// <summary>Whether one rule grants the request.</summary>
    public static bool Matches(V1PolicyRule rule, V1ResourceAttributes request)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(request);
        var resource = request.Resource ?? "";
        var combined = string.IsNullOrEmpty(request.Subresource) ? resource : $"{resource}/{request.Subresource}";
        return Any(rule.Verbs, request.Verb ?? "")
            && Any(rule.ApiGroups, request.Group ?? "")
            && (rule.Resources ?? []).Any(r => r == "*" || r == combined
                || (!string.IsNullOrEmpty(request.Subresource) && r == "*/" + request.Subresource))
            && (rule.ResourceNames is not { Count: > 0 } names || (request.Name is { Length: > 0 } name && names.Contains(name)));
    }

    private static bool Any(IList<string>? values, string requested) => values is not null && values.Any(v => v == "*" || v == requested);

    /// <summary>The subject of the binding that is this user, as RBAC's reason names it; null when none is.</summary>
    private static string? Subject(IList<Rbacv1Subject>? subjects, string user, IList<string> groups, string? bindingNamespace) =>
        subjects?.Select(s => s.Kind switch
        {
            "User" when s.Name == user => $"User \"{s.Name}\"",
            "Group" when groups.Contains(s.Name) => $"Group \"{s.Name}\"",
            "ServiceAccount" when user == $"{ServiceAccountPrefix}{(string.IsNullOrEmpty(s.NamespaceProperty) ? bindingNamespace : s.NamespaceProperty)}:{s.Name}"
                => $"ServiceAccount \"{s.Name}/{s.NamespaceProperty ?? bindingNamespace}\"",
            _ => null,
        }).FirstOrDefault(s => s is not null);

    private static V1SubjectAccessReviewStatus Allowed(string by, string subject) =>
        new() { Allowed = true, Reason = $"RBAC: allowed by {by} to {subject}" };
}
