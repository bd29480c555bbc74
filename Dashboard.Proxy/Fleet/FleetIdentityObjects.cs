using Dashboard.Contracts.Identity;
using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s.Models;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// The fleet's identity material where a cluster keeps it (<see cref="IdentityResources"/>): the trust anchor in the
/// trust-roots ConfigMap and the issuer certificate in the issuer Secret, so identity checks read the fleet as they
/// read a cluster. The Secret lacks the issuer's key: the fleet signs in process and its API is readable by anyone.
/// </summary>
internal static class FleetIdentityObjects
{
    public static void Publish(KubeStore store, FleetIdentity identity)
    {
        var ns = IdentityResources.ControlPlaneNamespace;
        var configMap = new V1ConfigMap
        {
            Metadata = FleetKubeObjects.Meta(ns, IdentityResources.TrustRootsConfigMap, "ConfigMap", null),
            Data = new Dictionary<string, string> { [IdentityResources.TrustRootsKey] = identity.TrustAnchor.ExportCertificatePem() + "\n" },
        };
        var secret = new V1Secret
        {
            Metadata = FleetKubeObjects.Meta(ns, IdentityResources.IssuerSecret, "Secret", null),
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]>
            {
                [IdentityResources.IssuerCertificateKey] = System.Text.Encoding.ASCII.GetBytes(identity.Authority.Issuer.ExportCertificatePem() + "\n"),
                ["ca.crt"] = System.Text.Encoding.ASCII.GetBytes(identity.TrustAnchor.ExportCertificatePem() + "\n"),
            },
        };
        store.Upsert(configMap);
        store.Upsert(secret);
    }
}
