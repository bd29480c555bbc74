using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Metrics;
using k8s.Models;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// What a fleet pod looks like to the Kubernetes API, as injection would make it: Linkerd's labels and annotations on
/// meshed pods, the app container and the proxy container with its ports and identity environment, its ServiceAccount.
/// </summary>
internal static class FleetPodTemplates
{
    internal static Dictionary<string, string> Labels(string ns, string? deployment, bool meshed, string? hash)
    {
        var labels = new Dictionary<string, string>();
        if (deployment is not null)
        {
            labels["app"] = deployment;
        }

        if (hash is not null)
        {
            labels["pod-template-hash"] = hash;
        }

        if (meshed)
        {
            labels["linkerd.io/control-plane-ns"] = FleetKubeObjects.ControlPlaneNamespace;
            labels["linkerd.io/workload-ns"] = ns;
            if (deployment is not null)
            {
                labels["linkerd.io/proxy-deployment"] = deployment;
            }
        }

        return labels;
    }

    internal static Dictionary<string, string>? Annotations(bool meshed, bool identity)
    {
        if (!meshed)
        {
            return null;
        }

        var annotations = new Dictionary<string, string> { ["linkerd.io/proxy-version"] = ProxyMetrics.Version, ["linkerd.io/inject"] = "enabled" };
        if (!identity)
        {
            annotations[IdentityResources.DisableIdentityAnnotation] = "true";
        }

        return annotations;
    }

    /// <summary>The proxy's identity environment, as injection writes it (the fleet's proxies get the same settings in process).</summary>
    internal static List<V1EnvVar>? ProxyEnv(FleetIdentity? identity, bool enabled, string serviceAccount, string ns) =>
        identity is null || !enabled ? null :
        [
            new V1EnvVar { Name = ProxyEnvironment.IdentityLocalName, Value = IdentityNames.Format(serviceAccount, ns, FleetIdentity.TrustDomain) },
            new V1EnvVar { Name = ProxyEnvironment.IdentityTrustAnchors, Value = identity.TrustAnchor.ExportCertificatePem() },
        ];

    internal static V1PodSpec Spec(bool meshed, string serviceAccount, List<V1EnvVar>? proxyEnv)
    {
        var containers = new List<V1Container>
        {
            new() { Name = "app", Image = "dashboard/demo-app:" + ProxyMetrics.Version, Ports = [new V1ContainerPort { Name = "http", ContainerPort = FleetPod.AppPort, Protocol = "TCP" }] },
        };
        if (meshed)
        {
            containers.Add(new V1Container
            {
                Name = FleetKubeObjects.ProxyContainer,
                Image = "dashboard/proxy:" + ProxyMetrics.Version,
                Env = proxyEnv,
                Ports =
                [
                    new V1ContainerPort { Name = "linkerd-proxy", ContainerPort = FleetPod.InboundPort, Protocol = "TCP" },
                    new V1ContainerPort { Name = "linkerd-admin", ContainerPort = FleetPod.AdminPort, Protocol = "TCP" },
                    new V1ContainerPort { Name = "linkerd-tap", ContainerPort = FleetPod.TapPort, Protocol = "TCP" },
                ],
            });
        }

        return new V1PodSpec { Containers = containers, NodeName = "fleet", RestartPolicy = "Always", ServiceAccountName = serviceAccount };
    }
}
