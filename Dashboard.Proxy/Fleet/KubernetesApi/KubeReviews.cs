using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using static Dashboard.Proxy.Fleet.KubernetesApi.KubeApiResponses;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// The two reviews a delegating authorizer (kube-rbac-proxy, the dashboard's tap endpoint) creates: a TokenReview
/// (authentication.k8s.io/v1) answered from the static tokens, and a SubjectAccessReview (authorization.k8s.io/v1)
/// answered by <see cref="KubeRbacAuthorizer"/>. Neither is stored: the answer is the object with its status, 201.
/// </summary>
internal static class KubeReviews
{
    /// <summary>The review resources, for discovery: group, version, plural, kind.</summary>
    public static IReadOnlyList<(string Group, string Version, string Plural, string Kind)> Resources { get; } =
    [
        ("authentication.k8s.io", "v1", "tokenreviews", "TokenReview"),
        ("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview"),
    ];

    public static IReadOnlyList<string> GroupVersions { get; } = [.. Resources.Select(r => $"{r.Group}/{r.Version}")];

    public static async Task HandleAsync(HttpContext context, KubeStore store, KubeTokenFile tokens, string plural)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await WriteStatusAsync(context, StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed", $"{plural} are only created (POST), never read");
            return;
        }

        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        try
        {
            if (plural == "tokenreviews")
            {
                var review = KubernetesJson.Deserialize<V1TokenReview>(body);
                var user = tokens.Authenticate(review?.Spec?.Token);
                review ??= new V1TokenReview();
                review.Status = user is null
                    ? new V1TokenReviewStatus { Authenticated = false, Error = "invalid bearer token" }
                    : new V1TokenReviewStatus { Authenticated = true, User = user };
                await WriteJsonAsync(context, KubernetesJson.Serialize(Kinded(review, "authentication.k8s.io/v1", "TokenReview")), StatusCodes.Status201Created);
            }
            else
            {
                var review = KubernetesJson.Deserialize<V1SubjectAccessReview>(body);
                if (review?.Spec is null)
                {
                    await WriteBadRequestAsync(context, "SubjectAccessReview has no spec");
                    return;
                }

                review.Status = KubeRbacAuthorizer.Review(store, review.Spec);
                await WriteJsonAsync(context, KubernetesJson.Serialize(Kinded(review, "authorization.k8s.io/v1", "SubjectAccessReview")), StatusCodes.Status201Created);
            }
        }
        catch (System.Text.Json.JsonException e)
        {
            await WriteBadRequestAsync(context, $"the body is not a {plural[..^1]}: {e.Message}");
        }
    }

    private static T Kinded<T>(T review, string apiVersion, string kind) where T : IKubernetesObject
    {
        review.ApiVersion = apiVersion;
        review.Kind = kind;
        return review;
    }
}
