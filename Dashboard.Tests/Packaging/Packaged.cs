using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Tests.Packaging;

/// <summary>Where the packaging lives (docker/) and its files read as the tools that use them read them.</summary>
internal static class Packaged
{
    public static string Docker { get; } = Path.Combine(RepoPaths.Root, "docker");
    public static string Kubernetes { get; } = Path.Combine(Docker, "kubernetes");
    public static string Compose { get; } = Path.Combine(Docker, "compose.yaml");
    public static string LocalPrometheusConfig { get; } = Path.Combine(Docker, "prometheus", "prometheus.yml");
    public static string RecordingRules { get; } = Path.Combine(Docker, "prometheus", "rules.yml");
    public static string GrafanaDashboards { get; } = Path.Combine(Docker, "grafana", "dashboards");

    /// <summary>The manifests in the order they apply (file name order), each document as a typed KubernetesClient object.</summary>
    public static IReadOnlyList<(string File, IReadOnlyList<object> Objects)> Manifests() =>
        [.. Directory.GetFiles(Kubernetes, "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), (IReadOnlyList<object>)KubernetesYaml.LoadAllFromString(File.ReadAllText(f))))];

    public static IEnumerable<T> ManifestObjects<T>() => Manifests().SelectMany(m => m.Objects).OfType<T>();

    public static V1ConfigMap ConfigMap(string name) => ManifestObjects<V1ConfigMap>().Single(c => c.Metadata.Name == name);

    /// <summary>The in-cluster Prometheus configuration, from its ConfigMap.</summary>
    public static string ClusterPrometheusConfig => ConfigMap("prometheus-config").Data["prometheus.yml"];

    /// <summary>The in-cluster Prometheus' recording rules, from the same ConfigMap.</summary>
    public static string ClusterRecordingRules => ConfigMap("prometheus-config").Data["rules.yml"];

    public static YamlMappingNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlNode At(this YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                string key => ((YamlMappingNode)node).Children[new YamlScalarNode(key)],
                int index => ((YamlSequenceNode)node).Children[index],
                _ => throw new ArgumentException($"path step {step} is neither a key nor an index"),
            };
        }

        return node;
    }

    public static string Text(this YamlNode node, params object[] path) => ((YamlScalarNode)node.At(path)).Value!;
}
