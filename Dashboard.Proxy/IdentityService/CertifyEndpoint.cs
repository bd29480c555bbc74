using System.Text.Json;
using Dashboard.Contracts.Identity;

namespace Dashboard.Proxy.IdentityService;

/// <summary>
/// <c>POST /v1/certify</c>: a proxy proves its ServiceAccount with its token (TokenReview), may obtain only that
/// ServiceAccount's identity, and gets a certificate for the key it signed its request with. Answers are the
/// status and a sentence: 400 a bad request, 401 a token Kubernetes does not accept, 403 an identity the token does
/// not grant, 503 when Kubernetes cannot be asked.
/// </summary>
internal sealed partial class CertifyEndpoint(CertificateAuthority authority, TokenReviewer reviewer, ILogger<CertifyEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var (status, answer) = await CertifyAsync(context);
        context.Response.StatusCode = status;
        if (answer is CertifyResponse response)
        {
            await context.Response.WriteAsJsonAsync(response, context.RequestAborted);
        }
        else
        {
            await context.Response.WriteAsync(answer + "\n", context.RequestAborted);
        }
    }

    private async Task<(int Status, object Answer)> CertifyAsync(HttpContext context)
    {
        CertifyRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<CertifyRequest>(context.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return (StatusCodes.Status400BadRequest, $"the body is not a certify request (JSON with identity, token, certificateSigningRequest): {ex.Message}");
        }

        if (request is null || string.IsNullOrEmpty(request.Identity) || string.IsNullOrEmpty(request.Token))
        {
            return (StatusCodes.Status400BadRequest, "the certify request needs identity, token and certificateSigningRequest");
        }

        byte[] signingRequest;
        try
        {
            signingRequest = Convert.FromBase64String(request.CertificateSigningRequest ?? "");
        }
        catch (FormatException)
        {
            return (StatusCodes.Status400BadRequest, "certificateSigningRequest is not base64 (of a PKCS#10 DER request)");
        }

        string? ns, account, refusal;
        try
        {
            (ns, account, refusal) = await reviewer.ReviewAsync(request.Token, context.RequestAborted);
        }
        catch (TokenReviewUnavailableException ex)
        {
            LogReviewFailed(ex.Message);
            return (StatusCodes.Status503ServiceUnavailable, $"cannot check the token now: {ex.Message}");
        }

        if (refusal is not null)
        {
            LogRefused(request.Identity, refusal);
            return (StatusCodes.Status401Unauthorized, refusal);
        }

        var allowed = IdentityNames.Format(account!, ns!, authority.TrustDomain);
        if (!string.Equals(allowed, request.Identity, StringComparison.Ordinal))
        {
            var reason = $"the token of ServiceAccount {ns}/{account} grants identity {allowed}, not {request.Identity}";
            LogRefused(request.Identity, reason);
            return (StatusCodes.Status403Forbidden, reason);
        }

        try
        {
            var issued = authority.Sign(signingRequest, request.Identity);
            LogIssued(request.Identity, issued.Certificate.SerialNumber, issued.Certificate.NotAfter.ToUniversalTime());
            return (StatusCodes.Status200OK, issued.ToResponse());
        }
        catch (CertifyException ex)
        {
            LogRefused(request.Identity, ex.Message);
            return (StatusCodes.Status400BadRequest, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued {Identity} certificate {Serial}, valid until {NotAfter:u}")]
    private partial void LogIssued(string identity, string serial, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a certificate for {Identity}: {Reason}")]
    private partial void LogRefused(string identity, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot review tokens: {Reason}")]
    private partial void LogReviewFailed(string reason);
}
