using Dashboard.Configuration;
using Dashboard.Contracts.Tap;
using Dashboard.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Tap;

/// <summary>Whom a tap request is from and whether Kubernetes RBAC lets them tap a namespace.</summary>
public interface ITapAuthorizer
{
    /// <exception cref="TapAuthorizationException">The Kubernetes API cannot answer the reviews.</exception>
    Task<TapAccessDecision> AuthorizeAsync(string? bearerToken, string @namespace, CancellationToken cancellationToken);
}

/// <param name="Authenticated">False when a token was given and the API server does not know it.</param>
public sealed record TapAccessDecision(bool Authenticated, bool Allowed, string User, string Reason);

/// <summary>The Kubernetes API did not answer a review: the dashboard cannot decide, so it refuses.</summary>
public sealed class TapAuthorizationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// As kube-rbac-proxy decides: a TokenReview (authentication.k8s.io/v1) turns the caller's bearer token into a user and
/// groups (no token: <c>system:anonymous</c> in <c>system:unauthenticated</c>), then a SubjectAccessReview
/// (authorization.k8s.io/v1) asks whether that user may <see cref="TapAccess.Verb"/> <see cref="TapAccess.Resource"/>
/// of <see cref="TapAccess.Group"/> in the namespace (no subresource: a rule naming <c>tap</c> would not grant
/// <c>tap/deployments</c>, and RBAC has no <c>tap/*</c>, so a role would have to list every kind). The
/// dashboard's ServiceAccount needs <c>create</c> on both reviews (ClusterRole <c>system:auth-delegator</c>).
/// </summary>
public sealed class KubernetesTapAuthorizer(DashboardSettings settings) : ITapAuthorizer, IDisposable
{
    private readonly Lazy<IKubernetes> _client = new(() => new k8s.Kubernetes(settings.Kubernetes.CreateClientConfiguration()));

    public async Task<TapAccessDecision> AuthorizeAsync(string? bearerToken, string @namespace, CancellationToken cancellationToken)
    {
        var (user, groups, uid, extra) = (TapAccess.AnonymousUser, (IList<string>)[TapAccess.UnauthenticatedGroup], (string?)null, (IDictionary<string, IList<string>>?)null);
        if (bearerToken is { Length: > 0 })
        {
            var review = await CallAsync("TokenReview", () => _client.Value.AuthenticationV1.CreateTokenReviewAsync(
                new V1TokenReview { Spec = new V1TokenReviewSpec { Token = bearerToken } }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (review.Status is not { Authenticated: true, User: { } info })
            {
                return new TapAccessDecision(false, false, "", review.Status?.Error is { Length: > 0 } error ? error : "the token is not valid");
            }

            (user, groups, uid, extra) = (info.Username, info.Groups ?? [], info.Uid, info.Extra);
        }

        var access = await CallAsync("SubjectAccessReview", () => _client.Value.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user,
                Groups = groups,
                Uid = uid,
                Extra = extra,
                ResourceAttributes = new V1ResourceAttributes
                {
                    Group = TapAccess.Group,
                    Resource = TapAccess.Resource,
                    Verb = TapAccess.Verb,
                    NamespaceProperty = @namespace,
                },
            },
        }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new TapAccessDecision(true, access.Status?.Allowed == true, user, access.Status?.Reason ?? "");
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private async Task<T> CallAsync<T>(string review, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or KubernetesException or TaskCanceledException)
        {
            throw new TapAuthorizationException($"the Kubernetes API at {settings.Kubernetes} did not answer the dashboard's {review}: {ConnectionTracker.Describe(e)} " +
                "(its ServiceAccount needs create on tokenreviews and subjectaccessreviews: ClusterRole system:auth-delegator)", e);
        }
    }
}
