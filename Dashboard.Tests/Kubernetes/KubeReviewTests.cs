using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Kubernetes;

/// <summary>
/// TokenReview and SubjectAccessReview created through KubernetesClient, as the dashboard creates them, against the
/// fleet's API with a token file as kube-apiserver's <c>--token-auth-file</c> reads it.
/// </summary>
public sealed class KubeReviewTests : IAsyncLifetime
{
    private const string TokenCsv = "jane-token,jane,u-1,\"devs,qa\"\nbob-token,bob,u-2\n";
    private KubeApiHost _host = null!;
    private IKubernetes _client = null!;

    public async ValueTask InitializeAsync()
    {
        var store = KubeSeed.Create();
        store.Upsert(new V1ClusterRole { Metadata = new() { Name = "tapper" }, Rules = [new V1PolicyRule { ApiGroups = ["tap.dashboard.io"], Resources = ["tap"], Verbs = ["watch"] }] });
        store.Upsert(new V1ClusterRoleBinding
        {
            Metadata = new() { Name = "devs-tap" },
            RoleRef = new() { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "tapper" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = "devs" }],
        });
        _host = await KubeApiHost.StartAsync(store, KubeTokenFile.Parse(TokenCsv, "tokens.csv"));
        _client = _host.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_token_of_the_file_is_its_user_with_its_groups_and_system_authenticated()
    {
        var review = await _client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new() { Token = "jane-token" } }, cancellationToken: TestTimeouts.Token).Within();

        Assert.True(review.Status.Authenticated);
        Assert.Equal(("jane", "u-1"), (review.Status.User.Username, review.Status.User.Uid));
        Assert.Equal(["devs", "qa", "system:authenticated"], review.Status.User.Groups);
    }

    [Fact]
    public async Task An_unknown_token_is_not_authenticated()
    {
        var review = await _client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new() { Token = "nope" } }, cancellationToken: TestTimeouts.Token).Within();

        Assert.False(review.Status.Authenticated);
        Assert.Equal("invalid bearer token", review.Status.Error);
    }

    [Fact]
    public async Task Access_reviews_answer_from_the_stores_rbac()
    {
        var jane = await ReviewAsync("jane", ["devs", "system:authenticated"]);
        var bob = await ReviewAsync("bob", ["system:authenticated"]);

        Assert.Equal((true, "RBAC: allowed by ClusterRoleBinding \"devs-tap\" of ClusterRole \"tapper\" to Group \"devs\""), (jane.Status.Allowed, jane.Status.Reason));
        Assert.False(bob.Status.Allowed);
    }

    [Fact]
    public async Task Discovery_lists_both_groups_with_their_create_only_reviews()
    {
        var groups = await _client.Apis.GetAPIVersionsAsync(cancellationToken: TestTimeouts.Token).Within();
        var authentication = await _client.AuthenticationV1.GetAPIResourcesAsync(cancellationToken: TestTimeouts.Token).Within();
        var authorization = await _client.AuthorizationV1.GetAPIResourcesAsync(cancellationToken: TestTimeouts.Token).Within();

        Assert.Contains("authentication.k8s.io", groups.Groups.Select(g => g.Name));
        Assert.Contains("authorization.k8s.io", groups.Groups.Select(g => g.Name));
        Assert.Contains("rbac.authorization.k8s.io", groups.Groups.Select(g => g.Name));
        Assert.Equal(("tokenreviews", "create"), (authentication.Resources.Single().Name, authentication.Resources.Single().Verbs.Single()));
        Assert.Equal("subjectaccessreviews", authorization.Resources.Single().Name);
    }

    [Theory]
    [InlineData("tok,jane", "expected at least 3 columns")]
    [InlineData("tok,jane,u,\"devs", "a quote is not closed")]
    public void A_bad_token_file_names_its_line(string csv, string problem)
    {
        var e = Assert.Throws<FormatException>(() => KubeTokenFile.Parse("\n" + csv, "tokens.csv"));

        Assert.Contains("tokens.csv line 2: " + problem, e.Message, StringComparison.Ordinal);
    }

    private Task<V1SubjectAccessReview> ReviewAsync(string user, string[] groups) =>
        _client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new()
            {
                User = user,
                Groups = groups,
                ResourceAttributes = new() { Group = "tap.dashboard.io", Resource = "tap", Verb = "watch", NamespaceProperty = "default" },
            },
        }, cancellationToken: TestTimeouts.Token).Within();
}
