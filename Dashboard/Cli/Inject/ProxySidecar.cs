using Dashboard.Contracts.Proxy;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Inject;

/// <summary>
/// The proxy container inject adds, built from KubernetesClient's models (so every field is spelled and typed as the
/// API expects) and configured by the proxy's environment contract (<see cref="ProxyEnvironment"/>).
/// </summary>
public static class ProxySidecar
{
    // The proxy's own defaults (Dashboard.Contracts/Proxy/ProxyEnvironment.cs): the sidecar sets them explicitly, so the manifest says where it listens.
    public static readonly int InboundPort = Port(ProxyEnvironment.DefaultInboundListenAddr);
    public static readonly int AdminPort = Port(ProxyEnvironment.DefaultAdminListenAddr);
    public static readonly int TapPort = Port(ProxyEnvironment.DefaultTapListenAddr);

    /// <summary>Where the app listens when its container declares no port: the proxy's own default.</summary>
    public static readonly int DefaultAppPort = Port(ProxyEnvironment.DefaultAppAddr);

    /// <summary>Port names Linkerd uses; Prometheus' scrape config selects the admin port by its name.</summary>
    public const string InboundPortName = "linkerd-proxy";
    public const string AdminPortName = "linkerd-admin";
    public const string TapPortName = "linkerd-tap";

    public static V1Container Container(InjectOptions options, int appPort) => new()
    {
        Name = ControlPlane.ProxyContainer,
        Image = $"{options.ProxyImage}:{options.ProxyVersion}",
        Ports =
        [
            new V1ContainerPort { Name = InboundPortName, ContainerPort = InboundPort, Protocol = "TCP" },
            new V1ContainerPort { Name = AdminPortName, ContainerPort = AdminPort, Protocol = "TCP" },
            new V1ContainerPort { Name = TapPortName, ContainerPort = TapPort, Protocol = "TCP" },
        ],
        Env =
        [
            Env(ProxyEnvironment.InboundListenAddr, ProxyEnvironment.DefaultInboundListenAddr),
            Env(ProxyEnvironment.AppAddr, $"127.0.0.1:{appPort}"),
            Env(ProxyEnvironment.OutboundListenAddr, ProxyEnvironment.DefaultOutboundListenAddr),
            Env(ProxyEnvironment.AdminListenAddr, ProxyEnvironment.DefaultAdminListenAddr),
            Env(ProxyEnvironment.TapListenAddr, ProxyEnvironment.DefaultTapListenAddr),
            FieldEnv(ProxyEnvironment.PodName, "metadata.name"),
            FieldEnv(ProxyEnvironment.PodNamespace, "metadata.namespace"),
            .. ProxyIdentity.Env(options),
        ],
        VolumeMounts = options.TrustAnchorsPem is null ? null : [ProxyIdentity.TokenMount],
        ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/ready", Port = AdminPort }, InitialDelaySeconds = 2, PeriodSeconds = 10 },
        LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/live", Port = AdminPort }, InitialDelaySeconds = 10, PeriodSeconds = 10 },
        // What the "restricted" Pod Security Standard asks of a container; the image runs as a numeric non-root user.
        SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            RunAsNonRoot = true,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
    };

    /// <summary>The container as a YAML node, name and image first as people write them.</summary>
    public static YamlMappingNode Node(InjectOptions options, int appPort) => ToNode(Container(options, appPort), "name", "image");

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
