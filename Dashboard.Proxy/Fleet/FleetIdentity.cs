using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;
using Dashboard.Proxy.IdentityService;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// The fleet as its pods' issuer: a trust anchor and an issuer made at start (valid a year, kept in memory only),
/// signing each meshed proxy's workload certificates in process, through the same signing requests a cluster's
/// identity endpoint receives.
/// </summary>
public sealed class FleetIdentity
{
    public const string TrustDomain = IdentityNames.DefaultTrustDomain;
    private static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    public FleetIdentity(TimeSpan certificateLifetime, TimeProvider time)
    {
        var (anchor, authority) = CertificateAuthority.CreateMesh(TrustDomain, Validity, time, certificateLifetime);
        // The anchor's key signed the issuer; nothing needs it after that.
        using (anchor)
        {
            TrustAnchor = X509CertificateLoader.LoadCertificate(anchor.RawData);
        }

        Authority = authority;
        Source = new LocalCertificateSource(authority);
        TrustAnchors = [TrustAnchor];
    }

    public X509Certificate2 TrustAnchor { get; }
    public X509Certificate2Collection TrustAnchors { get; }
    public CertificateAuthority Authority { get; }
    public ICertificateSource Source { get; }

    /// <summary>The identity of a pod of the fleet.</summary>
    public static string Of(FleetPod pod) => IdentityNames.Format(pod.ServiceAccount, pod.Namespace, TrustDomain);

    public IdentityOptions OptionsFor(FleetPod pod) => new() { LocalName = Of(pod), TrustAnchors = TrustAnchors };
}
