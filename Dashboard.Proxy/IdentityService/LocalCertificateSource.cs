using Dashboard.Contracts.Identity;

namespace Dashboard.Proxy.IdentityService;

/// <summary>Certifies with an authority in this process: the identity endpoint its own certificate, the fleet its pods'.</summary>
public sealed class LocalCertificateSource(CertificateAuthority authority) : ICertificateSource
{
    public Task<IssuedCertificate> CertifyAsync(string identity, byte[] signingRequest, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(authority.Sign(signingRequest, identity));
        }
        catch (CertifyException ex)
        {
            throw new IdentityUnavailableException(ex.Message, ex);
        }
    }
}
