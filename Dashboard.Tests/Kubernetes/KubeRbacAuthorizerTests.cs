using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s.Models;

namespace Dashboard.Tests.Kubernetes;

/// <summary>The fleet's RBAC evaluator on plain stores: what kube-apiserver's RBAC authorizer would answer.</summary>
public sealed class KubeRbacAuthorizerTests
{
    private const string Rbac = "rbac.authorization.k8s.io";

    [Fact]
    public void A_cluster_role_binding_to_a_group_allows_its_members_in_every_namespace_and_names_itself()
    {
        var store = Store(ClusterRole("tapper", Rule(["tap.dashboard.io"], ["tap"], ["watch"])), ClusterBinding("b", "tapper", Subject("Group", "devs")));

        var status = Review(store, "jane", ["devs"], "shop");

        Assert.True(status.Allowed);
        Assert.Equal("RBAC: allowed by ClusterRoleBinding \"b\" of ClusterRole \"tapper\" to Group \"devs\"", status.Reason);
        Assert.False(Review(store, "jane", ["ops"], "shop").Allowed);
    }

    [Fact]
    public void A_role_binding_allows_only_in_its_namespace_with_a_role_there_or_a_cluster_role()
    {
        var store = Store(
            ClusterRole("tapper", Rule(["tap.dashboard.io"], ["tap"], ["watch"])),
            Binding("default", "by-cluster-role", "ClusterRole", "tapper", Subject("User", "jane")),
            Role("shop", "local", Rule(["*"], ["*"], ["*"])),
            Binding("shop", "by-role", "Role", "local", Subject("User", "joe")));

        Assert.True(Review(store, "jane", [], "default").Allowed);
        Assert.False(Review(store, "jane", [], "shop").Allowed);
        Assert.True(Review(store, "joe", [], "shop").Allowed);
        Assert.False(Review(store, "joe", [], "default").Allowed);
    }

    [Fact]
    public void A_service_account_subject_is_its_user_name_with_the_bindings_namespace_by_default()
    {
        var store = Store(
            ClusterRole("tapper", Rule(["tap.dashboard.io"], ["tap"], ["watch"])),
            Binding("default", "sa", "ClusterRole", "tapper", new Rbacv1Subject { Kind = "ServiceAccount", Name = "web" }));

        Assert.True(Review(store, "system:serviceaccount:default:web", [], "default").Allowed);
        Assert.False(Review(store, "system:serviceaccount:shop:web", [], "default").Allowed);
        Assert.False(Review(store, "web", [], "default").Allowed);
    }

    [Theory]
    [InlineData(new[] { "tap.dashboard.io" }, new[] { "tap" }, new[] { "watch" }, null, true)]
    [InlineData(new[] { "*" }, new[] { "*" }, new[] { "*" }, null, true)]
    [InlineData(new[] { "" }, new[] { "tap" }, new[] { "watch" }, null, false)]
    [InlineData(new[] { "tap.dashboard.io" }, new[] { "taps" }, new[] { "watch" }, null, false)]
    [InlineData(new[] { "tap.dashboard.io" }, new[] { "tap" }, new[] { "get", "list" }, null, false)]
    [InlineData(new[] { "tap.dashboard.io" }, new[] { "tap" }, new[] { "watch" }, new[] { "other" }, false)]
    public void A_rule_matches_its_groups_resources_verbs_and_names_with_stars(string[] groups, string[] resources, string[] verbs, string[]? names, bool allowed)
    {
        var rule = new V1PolicyRule { ApiGroups = groups, Resources = resources, Verbs = verbs, ResourceNames = names };

        Assert.Equal(allowed, KubeRbacAuthorizer.Matches(rule, Tap("default")));
    }

    [Fact]
    public void Subresources_match_as_resource_slash_sub_or_star_slash_sub_and_names_need_a_name()
    {
        var request = new V1ResourceAttributes { Group = "tap.dashboard.io", Resource = "tap", Subresource = "deployments", Name = "web", Verb = "watch", NamespaceProperty = "default" };

        Assert.True(KubeRbacAuthorizer.Matches(Rule(["tap.dashboard.io"], ["tap/deployments"], ["watch"]), request));
        Assert.True(KubeRbacAuthorizer.Matches(Rule(["tap.dashboard.io"], ["*/deployments"], ["watch"]), request));
        Assert.False(KubeRbacAuthorizer.Matches(Rule(["tap.dashboard.io"], ["tap"], ["watch"]), request));
        Assert.True(KubeRbacAuthorizer.Matches(Rule(["tap.dashboard.io"], ["tap/deployments"], ["watch"]) with { ResourceNames = ["web"] }, request));
        Assert.False(KubeRbacAuthorizer.Matches(Rule(["tap.dashboard.io"], ["tap"], ["watch"]) with { ResourceNames = ["web"] }, Tap("default")));
    }

    [Fact]
    public void Nothing_granted_is_not_allowed_with_no_reason_as_the_real_server_answers()
    {
        var status = Review(Store(ClusterBinding("dangling", "missing", Subject("User", "jane"))), "jane", [], "default");

        Assert.Equal((false, ""), (status.Allowed, status.Reason));
    }

    private static V1SubjectAccessReviewStatus Review(KubeStore store, string user, string[] groups, string ns) =>
        KubeRbacAuthorizer.Review(store, new V1SubjectAccessReviewSpec { User = user, Groups = groups, ResourceAttributes = Tap(ns) });

    private static V1ResourceAttributes Tap(string ns) => new() { Group = "tap.dashboard.io", Resource = "tap", Verb = "watch", NamespaceProperty = ns };

    private static KubeStore Store(params object[] objects)
    {
        var store = new KubeStore();
        foreach (var o in objects)
        {
            switch (o)
            {
                case V1ClusterRole r: store.Upsert(r); break;
                case V1ClusterRoleBinding b: store.Upsert(b); break;
                case V1Role r: store.Upsert(r); break;
                case V1RoleBinding b: store.Upsert(b); break;
            }
        }

        return store;
    }

    private static V1PolicyRule Rule(string[] groups, string[] resources, string[] verbs) => new() { ApiGroups = groups, Resources = resources, Verbs = verbs };

    private static Rbacv1Subject Subject(string kind, string name) => new() { ApiGroup = Rbac, Kind = kind, Name = name };

    private static V1ClusterRole ClusterRole(string name, V1PolicyRule rule) => new() { Metadata = new() { Name = name }, Rules = [rule] };

    private static V1Role Role(string ns, string name, V1PolicyRule rule) => new() { Metadata = new() { Name = name, NamespaceProperty = ns }, Rules = [rule] };

    private static V1ClusterRoleBinding ClusterBinding(string name, string role, Rbacv1Subject subject) =>
        new() { Metadata = new() { Name = name }, RoleRef = new() { ApiGroup = Rbac, Kind = "ClusterRole", Name = role }, Subjects = [subject] };

    private static V1RoleBinding Binding(string ns, string name, string kind, string role, Rbacv1Subject subject) =>
        new() { Metadata = new() { Name = name, NamespaceProperty = ns }, RoleRef = new() { ApiGroup = Rbac, Kind = kind, Name = role }, Subjects = [subject] };
}
