using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Cli.Check;

/// <summary>
/// <c>kubernetes-setup</c> (<c>check --pre</c>): the control-plane namespace is free and the caller may create what
/// <c>install</c> emits, asked of the API server with SelfSubjectAccessReviews (what <c>kubectl auth can-i</c> does).
/// </summary>
public sealed class KubernetesSetupChecks : ICheckProvider
{
    public const string Category = "kubernetes-setup";

    /// <summary>The kinds of object <c>install</c> emits; keep in step with its manifests.</summary>
    public static IReadOnlyList<(string Kind, string Group, string Resource, bool Namespaced)> InstallResources { get; } =
    [
        ("Namespaces", "", "namespaces", false),
        ("ClusterRoles", "rbac.authorization.k8s.io", "clusterroles", false),
        ("ClusterRoleBindings", "rbac.authorization.k8s.io", "clusterrolebindings", false),
        ("ServiceAccounts", "", "serviceaccounts", true),
        ("ConfigMaps", "", "configmaps", true),
        ("Secrets", "", "secrets", true),
        ("Services", "", "services", true),
        ("Deployments", "apps", "deployments", true),
    ];

    public IEnumerable<CheckCategory> Categories(CheckOptions options)
    {
        if (!options.Pre)
        {
            yield break;
        }

        yield return new CheckCategory(Category,
        [
            new("control plane namespace does not already exist", NamespaceFreeAsync),
            .. InstallResources.Select(r => new HealthCheck($"can create {r.Kind}", (context, ct) => CanCreateAsync(context, r.Group, r.Resource, r.Namespaced, ct))),
        ]);
    }

    private static async Task<CheckResult?> NamespaceFreeAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var name = context.Cli.ControlPlaneNamespace;
        try
        {
            await context.Kubernetes.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return CheckResult.Fail($"namespace '{name}' exists: the control plane is installed already (run check without --pre), or choose another namespace with -L");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return CheckResult.Ok;
        }
    }

    private static async Task<CheckResult?> CanCreateAsync(CheckContext context, string group, string resource, bool namespaced, CancellationToken cancellationToken)
    {
        var review = new V1SelfSubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectAccessReview",
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = "create",
                    Group = group,
                    Resource = resource,
                    NamespaceProperty = namespaced ? context.Cli.ControlPlaneNamespace : null,
                },
            },
        };
        try
        {
            var answer = await context.Kubernetes.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(review, cancellationToken: cancellationToken).ConfigureAwait(false);
            return answer.Status?.Allowed == true
                ? CheckResult.Ok
                : CheckResult.Fail($"not allowed to create {resource}{(answer.Status?.Reason is { Length: > 0 } reason ? ": " + reason : "")}; ask a cluster admin, or run install as one");
        }
        catch (HttpOperationException e)
        {
            return CheckResult.Fail($"the API did not answer the access review for {resource}: {Kubernetes.ConnectionTracker.Describe(e)}");
        }
    }
}
