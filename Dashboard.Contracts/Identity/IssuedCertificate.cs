using System.Security.Cryptography.X509Certificates;

namespace Dashboard.Contracts.Identity;

/// <summary>A workload certificate (public part) and the intermediates it is sent with.</summary>
public sealed record IssuedCertificate(X509Certificate2 Certificate, X509Certificate2Collection Intermediates)
{
    public CertifyResponse ToResponse() => new()
    {
        Certificate = Certificate.ExportCertificatePem(),
        IntermediateCertificates = [.. Intermediates.Select(c => c.ExportCertificatePem())],
        ValidUntil = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime()),
    };

    public static IssuedCertificate FromResponse(CertifyResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var leaf = MeshCertificates.ReadPem(response.Certificate, "the issued certificate");
        var intermediates = new X509Certificate2Collection();
        foreach (var pem in response.IntermediateCertificates)
        {
            intermediates.AddRange(MeshCertificates.ReadPem(pem, "an intermediate certificate"));
        }

        return new IssuedCertificate(leaf[0], intermediates);
    }
}
