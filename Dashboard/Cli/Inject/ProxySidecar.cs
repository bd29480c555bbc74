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
    public const int InboundPort = 4143;
    public const int OutboundPort = 4140;
    public const int AdminPort = 4191;
    public const int TapPort = 4190;

    /// <summary>Where the app listens when its container declares no port: the proxy's own default.</summary>
    public const int DefaultAppPort = 8080;

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
            Env(ProxyEnvironment.InboundListenAddr, $"0.0.0.0:{InboundPort}"),
            Env(ProxyEnvironment.AppAddr, $"127.0.0.1:{appPort}"),
            Env(ProxyEnvironment.OutboundListenAddr, $"127.0.0.1:{OutboundPort}"),
            Env(ProxyEnvironment.AdminListenAddr, $"0.0.0.0:{AdminPort}"),
            Env(ProxyEnvironment.TapListenAddr, $"0.0.0.0:{TapPort}"),
            FieldEnv(ProxyEnvironment.PodName, "metadata.name"),
            FieldEnv(ProxyEnvironment.PodNamespace, "metadata.namespace"),
        ],
        ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/ready", Port = AdminPort }, InitialDelaySeconds = 2, PeriodSeconds = 10 },
        LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/live", Port = AdminPort }, InitialDelaySeconds = 10, PeriodSeconds = 10 },
        SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false },
    };

    /// <summary>The container as a YAML node, name and image first as people write them.</summary>
    public static YamlMappingNode Node(InjectOptions options, int appPort)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(KubernetesYaml.Serialize(Container(options, appPort))));
        var serialized = (YamlMappingNode)stream.Documents[0].RootNode;
        var first = new[] { "name", "image" };
        var ordered = new YamlMappingNode();
        foreach (var key in first.Concat(serialized.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Except(first)))
        {
            ordered.Add(key, serialized.Children[new YamlScalarNode(key)]);
        }

        return ordered;
    }

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    private static V1EnvVar FieldEnv(string name, string path) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };
}
