using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Durations;

namespace Dashboard.Contracts.Identity;

/// <summary>
/// Asks the identity endpoint for certificates (<see cref="IdentityRoutes.Certify"/>), proving who the workload is with
/// its ServiceAccount token, over TLS 1.3 to an endpoint that must present <see cref="IdentityOptions.ServiceName"/>
/// under the trust anchors. The token file is read for every request: Kubernetes rotates projected tokens.
/// </summary>
public sealed class IdentityServiceClient : ICertificateSource, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly IdentityOptions _options;
    private readonly string _serviceName;
    private readonly Uri _url;
    private readonly HttpClient _http;

    public IdentityServiceClient(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _serviceName = options.ServiceName ?? IdentityEnvironment.DefaultLocalName(options.TrustDomain);
        _url = new Uri($"https://{options.ServiceAddress ?? throw new ArgumentException("no identity endpoint address", nameof(options))}{IdentityRoutes.Certify}");
        var verifier = new PeerVerifier(options.TrustAnchors);
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = Timeout,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = verifier.Policy(null),
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    verifier.Evaluate(certificate, chain, errors & ~SslPolicyErrors.RemoteCertificateNameMismatch, _serviceName, DateTimeOffset.UtcNow).Refusal is null,
            },
        })
        { Timeout = Timeout };
    }

    public async Task<IssuedCertificate> CertifyAsync(string identity, byte[] signingRequest, CancellationToken cancellationToken)
    {
        string token;
        try
        {
            token = (await File.ReadAllTextAsync(_options.TokenFile, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IdentityUnavailableException($"cannot read the ServiceAccount token {_options.TokenFile}: {ex.Message}", ex);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Content = JsonContent.Create(new CertifyRequest { Identity = identity, Token = token, CertificateSigningRequest = Convert.ToBase64String(signingRequest) }),
        };
        // SNI and the certificate check name the endpoint's identity, whatever address it is reached at.
        request.Headers.Host = _serviceName;
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var reason = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
                throw new IdentityUnavailableException($"the identity endpoint {_url.Authority} refused: {(int)response.StatusCode} {reason}");
            }

            var body = await response.Content.ReadFromJsonAsync<CertifyResponse>(cancellationToken).ConfigureAwait(false)
                ?? throw new IdentityUnavailableException($"the identity endpoint {_url.Authority} sent an empty answer");
            return IssuedCertificate.FromResponse(body);
        }
        catch (HttpRequestException ex)
        {
            throw new IdentityUnavailableException($"cannot reach the identity endpoint {_url.Authority} (expected identity {_serviceName}): {Innermost(ex)}", ex);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or System.Security.Cryptography.CryptographicException)
        {
            throw new IdentityUnavailableException($"the identity endpoint {_url.Authority} sent an unreadable answer: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IdentityUnavailableException($"the identity endpoint {_url.Authority} did not answer within {DurationText.Format(Timeout)}", ex);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Innermost(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(": ", messages.Distinct());
    }
}
