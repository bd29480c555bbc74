using Dashboard.Contracts.Identity;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Proxy.IdentityService;

/// <summary>
/// Asks the Kubernetes API who a ServiceAccount token belongs to (TokenReview, authentication.k8s.io/v1), for tokens of
/// the identity audience only (<see cref="IdentityResources.TokenAudience"/>): a token made for the API server does not pass.
/// </summary>
public sealed class TokenReviewer(IKubernetes client)
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary>The ServiceAccount a token authenticates, or why it does not.</summary>
    /// <exception cref="TokenReviewUnavailableException">The API could not be asked (unreachable, or refused us).</exception>
    public async Task<(string? Namespace, string? ServiceAccount, string? Refusal)> ReviewAsync(string token, CancellationToken cancellationToken)
    {
        V1TokenReview review;
        try
        {
            review = await client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token, Audiences = [IdentityResources.TokenAudience] } },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or HttpOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var status = ex is HttpOperationException http ? $" ({(int)http.Response.StatusCode})" : "";
            throw new TokenReviewUnavailableException($"TokenReview at {client.BaseUri} failed{status}: {ex.Message}", ex);
        }

        if (review.Status?.Authenticated != true)
        {
            return (null, null, $"the token is not valid: {review.Status?.Error ?? "not authenticated"}");
        }

        if (review.Status.Audiences?.Contains(IdentityResources.TokenAudience) != true)
        {
            return (null, null, $"the token is not meant for {IdentityResources.TokenAudience} (its audiences: {string.Join(", ", review.Status.Audiences ?? [])})");
        }

        var user = review.Status.User?.Username ?? "";
        var parts = user.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) ? user[ServiceAccountPrefix.Length..].Split(':') : [];
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0
            ? (parts[0], parts[1], null)
            : (null, null, $"the token belongs to {user}, not to a ServiceAccount");
    }
}

public sealed class TokenReviewUnavailableException(string message, Exception inner) : Exception(message, inner);
