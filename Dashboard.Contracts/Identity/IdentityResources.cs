namespace Dashboard.Contracts.Identity;

/// <summary>
/// Where a cluster keeps the mesh's identity material (Linkerd's names, so its tooling finds them): the trust
/// anchors in a ConfigMap every proxy's injection reads, the issuer certificate and key in a TLS Secret that only
/// the identity endpoint mounts. The fleet publishes both (the Secret without its key).
/// </summary>
public static class IdentityResources
{
    public const string ControlPlaneNamespace = "linkerd";
    public const string TrustRootsConfigMap = "linkerd-identity-trust-roots";
    public const string TrustRootsKey = "ca-bundle.crt";
    public const string IssuerSecret = "linkerd-identity-issuer";
    public const string IssuerCertificateKey = "tls.crt";
    public const string IssuerPrivateKeyKey = "tls.key";
    /// <summary>Pod annotation that runs a meshed pod's proxy without identity (and so without mTLS).</summary>
    public const string DisableIdentityAnnotation = "config.linkerd.io/disable-identity";
    /// <summary>
    /// The audience of the ServiceAccount tokens proxies prove themselves with (Linkerd's): inject projects a token for
    /// it, and the identity endpoint's TokenReview accepts only tokens meant for it, not the pod's API credentials.
    /// </summary>
    public const string TokenAudience = "identity.l5d.io";
}
