using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Proxy;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Inject;

/// <summary>
/// The proxy container inject adds, built from KubernetesClient's models (so every field is spelled and typed as the
/// API expects) and configured by the proxy's environment contract (<see cref="ProxyEnvironment"/>). It sets no
/// <see cref="ProxyEnvironment.AppAddr"/>: the init container's redirect tells the proxy each connection's port.
/// </summary>
public static class ProxySidecar
{
    // The proxy's own defaults (Dashboard.Contracts/Proxy/ProxyEnvironment.cs): the sidecar sets them explicitly, so the manifest says where it listens.
    public static readonly int InboundPort = Port(ProxyEnvironment.DefaultInboundListenAddr);
    public static readonly int OutboundPort = Port(ProxyEnvironment.DefaultOutboundListenAddr);
    public static readonly int AdminPort = Port(ProxyEnvironment.DefaultAdminListenAddr);
    public static readonly int TapPort = Port(ProxyEnvironment.DefaultTapListenAddr);

    /// <summary>The user the proxy runs as, whose connections the init container's rules leave alone.</summary>
    public const int ProxyUid = ProxyInitFlags.DefaultProxyUid;

    /// <summary>Port names Linkerd uses; Prometheus' scrape config selects the admin port by its name.</summary>
    public const string InboundPortName = "linkerd-proxy";
    public const string AdminPortName = "linkerd-admin";
    public const string TapPortName = "linkerd-tap";

    /// <summary>The image writes nothing outside /tmp (docker/proxy.Dockerfile): the one writable place on a read-only root.</summary>
    public const string TmpVolume = "linkerd-proxy-tmp";

    public static V1Volume Volume => new() { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } };

    public static string Image(InjectOptions options) => $"{options.ProxyImage}:{options.ProxyVersion}";

    public static V1Container Container(InjectOptions options, PodProxyConfig config) => new()
    {
        Name = ControlPlane.ProxyContainer,
        Image = Image(options),
        Ports =
        [
            new V1ContainerPort { Name = InboundPortName, ContainerPort = InboundPort, Protocol = "TCP" },
            new V1ContainerPort { Name = AdminPortName, ContainerPort = AdminPort, Protocol = "TCP" },
            new V1ContainerPort { Name = TapPortName, ContainerPort = TapPort, Protocol = "TCP" },
        ],
        Env =
        [
            Env(ProxyEnvironment.InboundListenAddr, ProxyEnvironment.DefaultInboundListenAddr),
            Env(ProxyEnvironment.OutboundListenAddr, ProxyEnvironment.DefaultOutboundListenAddr),
            Env(ProxyEnvironment.AdminListenAddr, ProxyEnvironment.DefaultAdminListenAddr),
            Env(ProxyEnvironment.TapListenAddr, ProxyEnvironment.DefaultTapListenAddr),
            .. config.OpaquePorts.Count == 0 ? [] : new[] { Env(ProxyEnvironment.InboundOpaquePorts, string.Join(',', config.OpaquePorts.Distinct())) },
            FieldEnv(ProxyEnvironment.PodName, "metadata.name"),
            FieldEnv(ProxyEnvironment.PodNamespace, "metadata.namespace"),
            // Discovery from the control plane's destination service (docker/kubernetes/60-destination.yaml): the pod needs no API access.
            Env(ProxyEnvironment.DestinationServiceAddr, DestinationEnvironment.ClusterAddress(options.ControlPlaneNamespace)),
            .. ProxyIdentity.Env(options),
        ],
        VolumeMounts =
        [
            new V1VolumeMount { Name = TmpVolume, MountPath = "/tmp" },
            .. options.TrustAnchorsPem is null ? [] : new[] { ProxyIdentity.TokenMount },
        ],
        ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/ready", Port = AdminPort }, InitialDelaySeconds = 2, PeriodSeconds = 10 },
        LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/live", Port = AdminPort }, InitialDelaySeconds = 10, PeriodSeconds = 10 },
        // What the "restricted" Pod Security Standard asks of a container, as the proxy's own user: the init container's
        // rules exempt that UID. Without runAsGroup the process's primary group would be root (0).
        SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            RunAsNonRoot = true,
            RunAsUser = ProxyUid,
            RunAsGroup = ProxyUid,
            ReadOnlyRootFilesystem = true,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
    };

    /// <summary>A KubernetesClient model as a YAML node, the <paramref name="first"/> keys first.</summary>
    internal static YamlMappingNode ToNode(object model, params string[] first)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(KubernetesYaml.Serialize(model)));
        var serialized = (YamlMappingNode)stream.Documents[0].RootNode;
        var ordered = new YamlMappingNode();
        foreach (var key in first.Concat(serialized.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Except(first)))
        {
            ordered.Add(key, serialized.Children[new YamlScalarNode(key)]);
        }

        return ordered;
    }

    private static int Port(string address) => System.Net.IPEndPoint.Parse(address).Port;

    internal static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    internal static V1EnvVar FieldEnv(string name, string path) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };
}
