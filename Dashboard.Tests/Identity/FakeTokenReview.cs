using System.Collections.Concurrent;
using Dashboard.Contracts.Identity;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Identity;

/// <summary>
/// The Kubernetes API's TokenReview (POST /apis/authentication.k8s.io/v1/tokenreviews) on loopback, answering from a
/// table of tokens: the one stand-in of these tests, for the API server that knows who owns a ServiceAccount token.
/// </summary>
public sealed class FakeTokenReview : IAsyncDisposable
{
    public const string Path = "/apis/authentication.k8s.io/v1/tokenreviews";
    private readonly ConcurrentQueue<string> _reviewed = new();
    private LoopbackHost _host = null!;

    private FakeTokenReview()
    {
    }

    public Uri Url => _host.Url;

    /// <summary>Tokens reviewed so far, in order.</summary>
    public IReadOnlyList<string> Reviewed => [.. _reviewed];

    /// <param name="tokens">token → username, e.g. <c>system:serviceaccount:shop:web</c>.</param>
    public static async Task<FakeTokenReview> StartAsync(IReadOnlyDictionary<string, string> tokens)
    {
        var fake = new FakeTokenReview();
        fake._host = await LoopbackHost.StartAsync("token review", app => app.Run(Handler(tokens, fake._reviewed)));
        return fake;
    }

    /// <summary>The TokenReview answer alone, for a host of the test's own (e.g. one listening in a network namespace).</summary>
    /// <param name="reviewed">Where reviewed tokens are recorded, if anywhere.</param>
    public static RequestDelegate Handler(IReadOnlyDictionary<string, string> tokens, ConcurrentQueue<string>? reviewed = null) => async context =>
    {
        if (context.Request.Method != "POST" || context.Request.Path != Path)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var review = KubernetesJson.Deserialize<V1TokenReview>(await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted));
        var token = review.Spec.Token;
        reviewed?.Enqueue(token);
        // The API server authenticates a token only for an audience it was made for, and names it in the status;
        // these tokens are all made for the identity endpoint.
        var audiences = review.Spec.Audiences?.Intersect([IdentityResources.TokenAudience]).ToList() ?? [];
        review.Status = tokens.TryGetValue(token, out var user) && audiences.Count > 0
            ? new V1TokenReviewStatus { Authenticated = true, User = new V1UserInfo { Username = user }, Audiences = audiences }
            : new V1TokenReviewStatus { Authenticated = false, Error = "[invalid bearer token, square/go-jose: error in cryptographic primitive]" };
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubernetesJson.Serialize(review), context.RequestAborted);
    };

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
