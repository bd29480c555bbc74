namespace Dashboard.Contracts.Identity;

/// <summary>Environment of the identity endpoint (<c>Dashboard.Proxy identity</c>), the control plane's certificate issuer.</summary>
public static class IdentityEnvironment
{
    public const string ListenAddr = "MESH_IDENTITY_LISTEN_ADDR";
    public const string TrustDomain = "MESH_IDENTITY_TRUST_DOMAIN";
    public const string TrustAnchorsFile = "MESH_IDENTITY_TRUST_ANCHORS_FILE";
    public const string IssuerCertificateFile = "MESH_IDENTITY_ISSUER_CERT_FILE";
    public const string IssuerKeyFile = "MESH_IDENTITY_ISSUER_KEY_FILE";
    /// <summary>Lifetime of the workload certificates it signs.</summary>
    public const string CertificateLifetime = "MESH_IDENTITY_CERT_LIFETIME";
    /// <summary>How far back a certificate's notBefore is set, for clocks that run behind.</summary>
    public const string ClockSkew = "MESH_IDENTITY_CLOCK_SKEW";
    /// <summary>The endpoint's own identity, presented to proxies (they expect it in MESH_PROXY_IDENTITY_SVC_NAME).</summary>
    public const string LocalName = "MESH_IDENTITY_LOCAL_NAME";
    /// <summary>Kubernetes API for TokenReview; unset means the pod's in-cluster configuration.</summary>
    public const string KubernetesApi = "MESH_IDENTITY_KUBERNETES_API";

    public const string DefaultListenAddr = "0.0.0.0:8080";
    public const string DefaultTrustAnchorsFile = "/var/run/dashboard/identity/trust-roots/ca-bundle.crt";
    public const string DefaultIssuerCertificateFile = "/var/run/dashboard/identity/issuer/tls.crt";
    public const string DefaultIssuerKeyFile = "/var/run/dashboard/identity/issuer/tls.key";
    public const string DefaultServiceAccount = "linkerd-identity";

    /// <summary>The default identity of the endpoint in <paramref name="trustDomain"/>: its ServiceAccount in the control-plane namespace.</summary>
    public static string DefaultLocalName(string trustDomain) =>
        IdentityNames.Format(DefaultServiceAccount, IdentityResources.ControlPlaneNamespace, trustDomain);
}
