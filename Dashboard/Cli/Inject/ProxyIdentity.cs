using System.Net;
using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using k8s.Models;

namespace Dashboard.Cli.Inject;

/// <summary>
/// What an injected proxy needs to obtain its certificate in a cluster: the trust anchors (written into the manifest,
/// as a ConfigMap cannot be read from another namespace), its identity built by the kubelet from the pod's
/// ServiceAccount and namespace, the identity endpoint of the control plane, and a ServiceAccount token projected for
/// the identity audience only (<see cref="IdentityResources.TokenAudience"/>), so the pod's API credentials never leave it.
/// </summary>
public static class ProxyIdentity
{
    /// <summary>The identity endpoint's Deployment, Service and ServiceAccount (docker/kubernetes/50-identity.yaml).</summary>
    public const string ServiceName = IdentityEnvironment.DefaultServiceAccount;

    public const string TokenVolume = "linkerd-identity-token";
    public const string TokenDirectory = "/var/run/dashboard/identity/tokens";
    public const string TokenFile = TokenDirectory + "/" + TokenVolume;

    /// <summary>The kubelet renews a projected token at 80 % of this; the endpoint reads it at each renewal.</summary>
    public const long TokenLifetimeSeconds = 86400;

    /// <summary>Only for <c>$(…)</c> expansion in the identity's value: the proxy does not read it.</summary>
    public const string ServiceAccountVariable = "_pod_sa";

    public static readonly int ServicePort = IPEndPoint.Parse(IdentityEnvironment.DefaultListenAddr).Port;

    public static V1VolumeMount TokenMount => new() { Name = TokenVolume, MountPath = TokenDirectory, ReadOnlyProperty = true };

    public static V1Volume Volume => new()
    {
        Name = TokenVolume,
        Projected = new V1ProjectedVolumeSource
        {
            Sources =
            [
                new V1VolumeProjection
                {
                    ServiceAccountToken = new V1ServiceAccountTokenProjection
                    {
                        Audience = IdentityResources.TokenAudience, ExpirationSeconds = TokenLifetimeSeconds, Path = TokenVolume,
                    },
                },
            ],
        },
    };

    /// <summary>The proxy's identity variables; none when identity is off.</summary>
    public static IEnumerable<V1EnvVar> Env(InjectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrustAnchorsPem is not { } anchors)
        {
            yield break;
        }

        var controlPlane = options.ControlPlaneNamespace;
        yield return ProxySidecar.FieldEnv(ServiceAccountVariable, "spec.serviceAccountName");
        yield return ProxySidecar.Env(ProxyEnvironment.IdentityTrustAnchors, anchors);
        // The kubelet expands $(VAR) from variables listed before it (MESH_PROXY_POD_NAMESPACE comes first).
        yield return ProxySidecar.Env(ProxyEnvironment.IdentityLocalName,
            IdentityNames.Format($"$({ServiceAccountVariable})", $"$({ProxyEnvironment.PodNamespace})"));
        yield return ProxySidecar.Env(ProxyEnvironment.IdentityServiceAddr, $"{ServiceName}.{controlPlane}.svc.cluster.local:{ServicePort}");
        yield return ProxySidecar.Env(ProxyEnvironment.IdentityServiceName, IdentityNames.Format(ServiceName, controlPlane));
        yield return ProxySidecar.Env(ProxyEnvironment.IdentityTokenFile, TokenFile);
        // Tap by the dashboard of this control plane (its ServiceAccount, docker/kubernetes/40-dashboard.yaml), wherever it is installed.
        yield return ProxySidecar.Env(ProxyEnvironment.TapServiceName, IdentityNames.Format(ProxyEnvironment.DefaultTapServiceAccount, controlPlane));
        // The destination service of this control plane, dialled over mesh TLS: its ServiceAccount's identity.
        yield return ProxySidecar.Env(ProxyEnvironment.DestinationServiceName, IdentityNames.Format(DestinationEnvironment.DefaultServiceAccount, controlPlane));
    }
}
