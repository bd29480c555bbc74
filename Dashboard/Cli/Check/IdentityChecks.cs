using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dashboard.Cli.Check;

/// <summary>
/// The identity checks of <c>dashboard check</c>, on material already fetched (see <see cref="IdentityCheckSource"/>):
/// trust anchors and issuer parse, use ECDSA P-256, are within their validity and have at least 60 days left, the
/// issuer is signed by an anchor, and every proxy's certificate chains to an anchor. Pure: the same inputs give the
/// same lines, so the CLI's output can be tested exactly.
/// </summary>
public static class IdentityChecks
{
    public const string Category = "linkerd-identity";
    public const string DataPlaneCategory = "linkerd-identity-data-plane";
    /// <summary>Linkerd warns when the anchor or issuer has less than this left.</summary>
    public static readonly TimeSpan MinimumValidity = TimeSpan.FromDays(60);

    public const string DataPlaneCheck = "data plane proxies certificate match CA";
    private const string ConfigValid = "certificate config is valid";
    private const string AnchorsAlgorithm = "trust anchors are using supported crypto algorithm";
    private const string AnchorsValid = "trust anchors are within their validity period";
    private const string AnchorsRemaining = "trust anchors are valid for at least 60 days";
    private const string IssuerAlgorithm = "issuer cert is using supported crypto algorithm";
    private const string IssuerValid = "issuer cert is within its validity period";
    private const string IssuerRemaining = "issuer cert is valid for at least 60 days";
    private const string IssuerSigned = "issuer cert is issued by the trust anchor";

    /// <summary>The lines of <see cref="Category"/> in the order <see cref="Run"/> gives them (it stops early when the material cannot be read).</summary>
    public static IReadOnlyList<string> MaterialChecks { get; } =
        [ConfigValid, AnchorsAlgorithm, AnchorsValid, AnchorsRemaining, IssuerAlgorithm, IssuerValid, IssuerRemaining, IssuerSigned];

    private const string RotateAnchorHint = "create a new trust anchor, distribute it next to the old one (a bundle), re-issue the issuer from it, then restart the proxies";
    private const string RotateIssuerHint = "issue a new issuer certificate from the trust anchor and update the issuer Secret; the identity endpoint signs with it from its next start";

    public static IReadOnlyList<IdentityCheckResult> Run(IdentityMaterial material, IReadOnlyList<ProxyCertificate> proxies, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(proxies);
        var results = new List<IdentityCheckResult>();
        var anchors = Parse(material.TrustAnchorsPem, "trust anchors", out var anchorProblem);
        var issuers = Parse(material.IssuerCertificatePem, "issuer certificate", out var issuerProblem);
        var problem = material.Problem ?? anchorProblem ?? issuerProblem;
        results.Add(problem is null
            ? Ok(ConfigValid)
            : Error(ConfigValid, problem,
                "the trust anchors live in the ConfigMap linkerd-identity-trust-roots (ca-bundle.crt), the issuer in the Secret linkerd-identity-issuer (tls.crt) of the control-plane namespace"));
        if (anchors is null || issuers is null)
        {
            return results;
        }

        var issuer = issuers[0];
        results.Add(Algorithm(AnchorsAlgorithm, anchors, RotateAnchorHint));
        results.Add(TimeValid(AnchorsValid, anchors, now, RotateAnchorHint));
        results.Add(Remaining(AnchorsRemaining, anchors, now, RotateAnchorHint));
        results.Add(Algorithm(IssuerAlgorithm, [issuer], RotateIssuerHint));
        results.Add(TimeValid(IssuerValid, [issuer], now, RotateIssuerHint));
        results.Add(Remaining(IssuerRemaining, [issuer], now, RotateIssuerHint));
        results.Add(Chains(issuer, [.. issuers.Skip(1)], anchors, now) is { } broken
            ? Error(IssuerSigned, $"{issuer.Subject}: {broken}",
                "re-issue the issuer certificate from the current trust anchor (or add the anchor that signed it to the trust bundle)")
            : Ok(IssuerSigned));
        results.Add(DataPlane(proxies, anchors, now));
        return results;
    }

    private static IdentityCheckResult DataPlane(IReadOnlyList<ProxyCertificate> proxies, X509Certificate2Collection anchors, DateTimeOffset now)
    {
        const string description = DataPlaneCheck;
        var mismatched = new List<string>();
        foreach (var proxy in proxies)
        {
            var reason = proxy.Certificate is null ? proxy.Error ?? "presented no certificate" : Chains(proxy.Certificate, proxy.Intermediates, anchors, now);
            if (reason is not null)
            {
                mismatched.Add($"{proxy.Pod} ({reason})");
            }
        }

        return mismatched.Count == 0
            ? new IdentityCheckResult(DataPlaneCategory, description, CheckStatus.Ok)
            : new IdentityCheckResult(DataPlaneCategory, description, CheckStatus.Fail,
                $"{mismatched.Count} of {proxies.Count} proxies present certificates that do not match the trust anchor: {string.Join(", ", mismatched)}",
                "restart these pods so their proxies obtain certificates from the current issuer (kubectl rollout restart)");
    }

    /// <summary>Why <paramref name="certificate"/> does not chain to an anchor, or null when it does.</summary>
    private static string? Chains(X509Certificate2 certificate, X509Certificate2Collection intermediates, X509Certificate2Collection anchors, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        return chain.Build(certificate)
            ? null
            : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
    }

    private static IdentityCheckResult Algorithm(string description, X509Certificate2Collection certificates, string hint)
    {
        var wrong = certificates.Where(c => !IsP256(c)).Select(c => $"{c.Subject} uses {c.PublicKey.Oid.FriendlyName ?? c.PublicKey.Oid.Value}").ToList();
        return wrong.Count == 0 ? Ok(description) : Error(description, string.Join("; ", wrong) + "; expected ECDSA P-256", hint);
    }

    private static IdentityCheckResult TimeValid(string description, X509Certificate2Collection certificates, DateTimeOffset now, string hint)
    {
        var wrong = certificates.Select(c => NotAfter(c) < now ? $"{c.Subject} expired at {Time(NotAfter(c))}"
            : NotBefore(c) > now ? $"{c.Subject} is not valid before {Time(NotBefore(c))}" : null).OfType<string>().ToList();
        return wrong.Count == 0 ? Ok(description) : Error(description, string.Join("; ", wrong), hint);
    }

    private static IdentityCheckResult Remaining(string description, X509Certificate2Collection certificates, DateTimeOffset now, string hint)
    {
        var soon = certificates.Where(c => NotAfter(c) >= now && NotAfter(c) - now < MinimumValidity)
            .Select(c => $"{c.Subject} expires at {Time(NotAfter(c))}, in {(NotAfter(c) - now).TotalDays.ToString("0", CultureInfo.InvariantCulture)} days").ToList();
        return soon.Count == 0
            ? Ok(description)
            : new IdentityCheckResult(Category, description, CheckStatus.Warn, string.Join("; ", soon), hint);
    }

    private static X509Certificate2Collection? Parse(string? pem, string what, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(pem))
        {
            problem = $"no {what} found";
            return null;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            problem = $"the {what} are not valid PEM: {ex.Message}";
            return null;
        }

        if (certificates.Count == 0)
        {
            problem = $"the {what} hold no PEM certificate";
            return null;
        }

        return certificates;
    }

    private static bool IsP256(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPublicKey();
        return key is not null && key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value;
    }

    private static DateTimeOffset NotAfter(X509Certificate2 c) => new(c.NotAfter.ToUniversalTime());

    private static DateTimeOffset NotBefore(X509Certificate2 c) => new(c.NotBefore.ToUniversalTime());

    private static string Time(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);

    private static IdentityCheckResult Ok(string description) => new(Category, description, CheckStatus.Ok);

    private static IdentityCheckResult Error(string description, string message, string hint) => new(Category, description, CheckStatus.Fail, message, hint);
}
