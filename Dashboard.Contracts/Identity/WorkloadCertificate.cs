using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Dashboard.Contracts.Identity;

/// <summary>A workload's current certificate with its private key, ready for handshakes, and when to renew it.</summary>
public sealed class WorkloadCertificate
{
    /// <summary>Renew once this share of the certificate's remaining lifetime has passed (linkerd2-proxy's 70 %).</summary>
    public const double RenewAtShare = 0.7;

    public WorkloadCertificate(X509Certificate2 certificate, X509Certificate2Collection intermediates, DateTimeOffset receivedAt)
    {
        Certificate = certificate;
        Intermediates = intermediates;
        NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        RenewAt = receivedAt + ((NotAfter - receivedAt) * RenewAtShare);
        // Built once: every handshake sends this certificate and its intermediates without building a chain again.
        Context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
    }

    /// <summary>The certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }
    public X509Certificate2Collection Intermediates { get; }
    public SslStreamCertificateContext Context { get; }
    public DateTimeOffset NotAfter { get; }
    public DateTimeOffset RenewAt { get; }
    public string SerialNumber => Certificate.SerialNumber;
}
