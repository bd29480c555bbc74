using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Dashboard.Contracts.Identity;

/// <summary>
/// Decides whether a peer's certificate proves an identity of this mesh: it must chain to one of the trust anchors
/// (and nothing else: the system's roots mean nothing here), be within its validity period, and name an identity;
/// when the caller expects a particular identity, that one. A refusal says why in words a log reader can act on.
/// </summary>
public sealed class PeerVerifier
{
    private readonly X509ChainPolicy _policy;

    public PeerVerifier(X509Certificate2Collection trustAnchors)
    {
        _policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // Short-lived certificates are the revocation mechanism; there is no CRL or OCSP to ask.
            RevocationMode = X509RevocationMode.NoCheck,
        };
        _policy.CustomTrustStore.AddRange(trustAnchors);
        AnchorNames = string.Join(", ", trustAnchors.Select(a => a.Subject));
    }

    public string AnchorNames { get; }

    /// <summary>
    /// The policy for a handshake's chain. <paramref name="knownIntermediates"/> (our own issuer) help build a peer's
    /// chain when it sends only its leaf, as some TLS clients do; they are not trusted, only used to find the anchor.
    /// </summary>
    public X509ChainPolicy Policy(X509Certificate2Collection? knownIntermediates)
    {
        var policy = _policy.Clone();
        if (knownIntermediates is not null)
        {
            policy.ExtraStore.AddRange(knownIntermediates);
        }

        return policy;
    }

    /// <summary>Verifies a certificate and the intermediates it came with, building the chain here.</summary>
    public PeerVerdict Verify(X509Certificate2 certificate, X509Certificate2Collection intermediates, string? expectedIdentity, DateTimeOffset now)
    {
        using var chain = new X509Chain { ChainPolicy = Policy(intermediates) };
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        var valid = chain.Build(certificate);
        return Interpret(certificate, chain, valid, expectedIdentity, now);
    }

    /// <summary>Interprets the outcome of a TLS handshake's certificate validation (its chain was built with <see cref="Policy"/>).</summary>
    public PeerVerdict Evaluate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, string? expectedIdentity, DateTimeOffset now)
    {
        if (certificate is not X509Certificate2 peer || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return PeerVerdict.Refused(PeerRefusal.NoCertificate, "presented no certificate: mTLS needs the caller's workload certificate");
        }

        return chain is null
            ? PeerVerdict.Refused(PeerRefusal.InvalidCertificate, "the certificate could not be checked (no chain)")
            : Interpret(peer, chain, !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors), expectedIdentity, now);
    }

    private PeerVerdict Interpret(X509Certificate2 certificate, X509Chain chain, bool chainValid, string? expectedIdentity, DateTimeOffset now)
    {
        var identity = IdentityNames.Of(certificate);
        var who = identity ?? certificate.Subject;
        if (!chainValid)
        {
            var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
            if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid) && (notAfter < now || notBefore > now))
            {
                return notAfter < now
                    ? PeerVerdict.Refused(PeerRefusal.ExpiredCertificate, $"the certificate of {who} expired at {Time(notAfter)}")
                    : PeerVerdict.Refused(PeerRefusal.ExpiredCertificate, $"the certificate of {who} is not valid before {Time(notBefore)}");
            }

            if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
            {
                return PeerVerdict.Refused(PeerRefusal.UntrustedCertificate,
                    $"the certificate of {who} (issued by {certificate.Issuer}) does not chain to this mesh's trust anchor ({AnchorNames})");
            }

            // Any other problem anywhere in the chain (an expired issuer, a bad signature, a CA constraint).
            var problems = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
            return PeerVerdict.Refused(PeerRefusal.InvalidCertificate, $"the certificate chain of {who} is invalid: {string.Join("; ", problems)}");
        }

        if (identity is null || !IdentityNames.TryParse(identity, out _, out _, out _))
        {
            return PeerVerdict.Refused(PeerRefusal.NoIdentity, $"the certificate {certificate.Subject} names no workload identity (DNS subjectAltName)");
        }

        return expectedIdentity is not null && !string.Equals(identity, expectedIdentity, StringComparison.Ordinal)
            ? PeerVerdict.Refused(PeerRefusal.IdentityMismatch, $"expected identity {expectedIdentity}, the peer presented {identity}")
            : PeerVerdict.Accepted(identity);
    }

    private static string Time(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);
}

/// <summary>Why a peer's certificate was refused; the value is the <c>error</c> label of the tcp error counters.</summary>
public static class PeerRefusal
{
    public const string NoCertificate = "tls_no_certificate";
    public const string ExpiredCertificate = "tls_expired_certificate";
    public const string UntrustedCertificate = "tls_untrusted_certificate";
    public const string InvalidCertificate = "tls_invalid_certificate";
    public const string NoIdentity = "tls_no_identity";
    public const string IdentityMismatch = "tls_identity_mismatch";
    /// <summary>The handshake failed before any certificate was judged (protocol version, no common cipher, a reset).</summary>
    public const string Handshake = "tls_handshake";
}

/// <summary>An accepted identity, or a refusal (<see cref="PeerRefusal"/> and a sentence).</summary>
public readonly record struct PeerVerdict(string? Identity, (string Error, string Message)? Refusal)
{
    public static PeerVerdict Accepted(string identity) => new(identity, null);

    public static PeerVerdict Refused(string error, string message) => new(null, (error, message));
}
