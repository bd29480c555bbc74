namespace Dashboard.Cli.Check;

/// <summary>
/// One line of <c>dashboard check</c>: <c>{Category}: {Description} .... [ok]</c>, and for anything else the
/// <see cref="Message"/> (what is wrong) and a <see cref="Hint"/> line (what to do).
/// </summary>
public sealed record IdentityCheckResult(string Category, string Description, CheckStatus Status, string? Message = null, string? Hint = null);

/// <summary>The identity material of a mesh as a cluster (or the fleet) keeps it; null where it could not be read, with why.</summary>
public sealed record IdentityMaterial(string? TrustAnchorsPem, string? IssuerCertificatePem, string? Problem = null);

/// <summary>
/// The certificate one proxy presents on its inbound port (its leaf and the intermediates it sent), or why it could
/// not be read. <see cref="Pod"/> is <c>namespace/name</c>.
/// </summary>
public sealed record ProxyCertificate(string Pod, System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate,
    System.Security.Cryptography.X509Certificates.X509Certificate2Collection Intermediates, string? Error = null);
