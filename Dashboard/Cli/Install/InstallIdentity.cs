using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Cli.Check;
using Dashboard.Contracts.Identity;

namespace Dashboard.Cli.Install;

/// <summary>
/// The mesh's identity material install writes: the trust anchors (PEM bundle), the issuer certificate and its key.
/// Generated fresh, as <c>linkerd install</c> does (the anchor's key is thrown away: nothing can sign with it again), or
/// read from the user's files and checked as <c>dashboard check</c> would.
/// </summary>
public sealed record InstallIdentity(string TrustAnchorsPem, string IssuerCertificatePem, string IssuerKeyPem)
{
    /// <summary>Linkerd's generated trust anchor lives ten years; its issuer one.</summary>
    public static readonly TimeSpan AnchorValidity = TimeSpan.FromDays(3650);
    public static readonly TimeSpan IssuerValidity = TimeSpan.FromDays(365);

    /// <summary>Certificates start this much before now, for nodes whose clocks run behind.</summary>
    private static readonly TimeSpan Backdate = TimeSpan.FromHours(1);

    public static InstallIdentity Generate(DateTimeOffset now)
    {
        using var anchor = MeshCertificates.CreateTrustAnchor(IdentityNames.DefaultTrustDomain, now - Backdate, now + AnchorValidity);
        using var issuer = MeshCertificates.CreateIssuer(anchor, IdentityNames.DefaultTrustDomain, now - Backdate, now + IssuerValidity);
        using var key = issuer.GetECDsaPrivateKey()!;
        return new(anchor.ExportCertificatePem() + "\n", issuer.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Reads and checks the user's material; what is wrong fails the command, naming the option and file.</summary>
    /// <returns>The material, and warnings (less than 60 days left).</returns>
    public static async Task<(InstallIdentity Identity, IReadOnlyList<string> Warnings)> LoadAsync(
        string anchorsFile, string certificateFile, string keyFile, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var anchors = await ReadAsync("--identity-trust-anchors-file", anchorsFile, cancellationToken).ConfigureAwait(false);
        var certificate = await ReadAsync("--identity-issuer-certificate-file", certificateFile, cancellationToken).ConfigureAwait(false);
        var key = await ReadAsync("--identity-issuer-key-file", keyFile, cancellationToken).ConfigureAwait(false);
        try
        {
            MeshCertificates.ReadPem(anchors, $"--identity-trust-anchors-file '{anchorsFile}'");
        }
        catch (CryptographicException e)
        {
            throw CommandException.Usage(e.Message);
        }

        var issuer = $"the issuer (--identity-issuer-certificate-file '{certificateFile}', --identity-issuer-key-file '{keyFile}')";
        try
        {
            using var loaded = X509Certificate2.CreateFromPem(certificate, key);
            using var ecdsa = loaded.GetECDsaPrivateKey();
            if (ecdsa is null || loaded.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
            {
                throw CommandException.Usage($"{issuer}: {loaded.Subject} is not an ECDSA CA certificate (basicConstraints CA:TRUE) with its key: it cannot sign the proxies' certificates");
            }
        }
        catch (CryptographicException e)
        {
            throw CommandException.Usage($"{issuer}: {e.Message}; expected the PEM of a certificate and of its private key");
        }

        var results = IdentityChecks.Run(new IdentityMaterial(anchors, certificate), [], now);
        var errors = results.Where(r => r.Status == CheckStatus.Fail).Select(r => $"{r.Description}: {r.Message}").ToList();
        if (errors.Count > 0)
        {
            throw CommandException.Usage($"{issuer} and the trust anchors fail the identity checks: {string.Join("; ", errors)}");
        }

        var warnings = results.Where(r => r.Status == CheckStatus.Warn).Select(r => $"{r.Description}: {r.Message}").ToList();
        return (new InstallIdentity(Normalize(anchors), Normalize(certificate), Normalize(key)), warnings);
    }

    private static async Task<string> ReadAsync(string option, string file, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandException.Usage($"cannot read {option} '{file}': {e.Message}");
        }
    }

    private static string Normalize(string pem) => pem.Trim() + "\n";
}
