using System.Security.Cryptography.X509Certificates;

namespace Dashboard.Contracts.Identity;

/// <summary>
/// Workload identities: <c>&lt;serviceaccount&gt;.&lt;namespace&gt;.serviceaccount.identity.&lt;trust-domain&gt;</c>,
/// carried as the DNS name (subjectAltName) of each proxy's certificate, as Linkerd's are.
/// </summary>
public static class IdentityNames
{
    public const string DefaultTrustDomain = "cluster.local";
    public const string DefaultServiceAccount = "default";
    private const string Infix = ".serviceaccount.identity.";

    /// <summary>The identity of a pod running as <paramref name="serviceAccount"/> in <paramref name="namespace"/>.</summary>
    public static string Format(string serviceAccount, string @namespace, string trustDomain = DefaultTrustDomain) =>
        $"{serviceAccount}.{@namespace}{Infix}{trustDomain}";

    /// <summary>Splits an identity into its parts; false for anything not of the identity's shape.</summary>
    public static bool TryParse(string? identity, out string serviceAccount, out string @namespace, out string trustDomain)
    {
        serviceAccount = @namespace = trustDomain = "";
        var infix = identity?.IndexOf(Infix, StringComparison.Ordinal) ?? -1;
        if (identity is null || infix <= 0)
        {
            return false;
        }

        var head = identity[..infix].Split('.');
        trustDomain = identity[(infix + Infix.Length)..];
        if (head.Length != 2 || head.Any(string.IsNullOrEmpty) || trustDomain.Length == 0 || Uri.CheckHostName(identity) != UriHostNameType.Dns)
        {
            return false;
        }

        (serviceAccount, @namespace) = (head[0], head[1]);
        return true;
    }

    /// <summary>The trust domain of a valid identity, or null.</summary>
    public static string? TrustDomainOf(string identity) => TryParse(identity, out _, out _, out var domain) ? domain : null;

    /// <summary>The identity a certificate carries: its first DNS subjectAltName, or null.</summary>
    public static string? Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                return san.EnumerateDnsNames().FirstOrDefault();
            }
        }

        return null;
    }
}
