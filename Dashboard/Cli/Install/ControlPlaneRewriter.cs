using System.Text.RegularExpressions;
using Dashboard.Cli.Inject;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Install;

/// <summary>
/// Adapts one document of the control plane's manifests to <see cref="InstallOptions"/>: another namespace (objects,
/// RBAC subjects, in-cluster names such as <c>prometheus.linkerd.svc</c> and identities), the images' tag, and a
/// Prometheus the user brings (its objects left out, the dashboard and Grafana pointed at it). A document that needs
/// nothing is kept byte for byte.
/// </summary>
internal static partial class ControlPlaneRewriter
{
    private const string NameLabel = "app.kubernetes.io/name";
    private static readonly string DefaultNamespace = ControlPlane.DefaultNamespace;
    private static readonly string BundledPrometheusUrl = $"http://{ControlPlane.PrometheusName}:9090";

    public static DocumentEdit Rewrite(YamlMappingNode root, InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        var metadata = YamlNodes.Get(root, "metadata") as YamlMappingNode;
        if (options.PrometheusUrl is not null && metadata is not null && YamlNodes.Get(metadata, "labels") is YamlMappingNode labels
            && YamlNodes.Text(labels, NameLabel) == ControlPlane.PrometheusName)
        {
            return DocumentEdit.Drop;
        }

        var changed = false;
        if (YamlNodes.Text(root, "kind") == "Namespace" && metadata is not null && YamlNodes.Get(metadata, "name") is YamlScalarNode { Value: var name } scalar
            && name == DefaultNamespace && options.Namespace != DefaultNamespace)
        {
            YamlNodes.Replace(scalar, options.Namespace);
            changed = true;
        }

        Walk(root, null, (key, value) =>
        {
            var rewritten = Value(key, value.Value ?? "", options);
            if (rewritten != value.Value)
            {
                YamlNodes.Replace(value, rewritten);
                changed = true;
            }
        });
        return changed ? DocumentEdit.Changed : DocumentEdit.Keep;
    }

    private static string Value(string? key, string value, InstallOptions options)
    {
        if (key == "namespace" && value == DefaultNamespace)
        {
            return options.Namespace;
        }

        if (key == "image" && OwnImage().Match(value) is { Success: true } image)
        {
            return $"{image.Groups["repository"].Value}:{options.Version}";
        }

        if (options.Namespace != DefaultNamespace)
        {
            value = InClusterName().Replace(value, m => $".{options.Namespace}.{m.Groups["kind"].Value}");
        }

        return options.PrometheusUrl is { } url ? value.Replace(BundledPrometheusUrl, url.OriginalString.TrimEnd('/'), StringComparison.Ordinal) : value;
    }

    /// <summary>Calls <paramref name="visit"/> with every scalar value and the key it is under (null in a sequence).</summary>
    private static void Walk(YamlNode node, string? key, Action<string?, YamlScalarNode> visit)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                visit(key, scalar);
                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children)
                {
                    Walk(child, null, visit);
                }

                break;
            case YamlMappingNode mapping:
                foreach (var (childKey, child) in mapping.Children)
                {
                    Walk(child, (childKey as YamlScalarNode)?.Value, visit);
                }

                break;
        }
    }

    [GeneratedRegex(@"^(?<repository>dashboard/(dashboard|proxy)):[A-Za-z0-9_][A-Za-z0-9_.-]*$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex OwnImage();

    // Names that carry the namespace: Services' DNS names and workload identities.
    [GeneratedRegex(@"\.linkerd\.(?<kind>svc\b|serviceaccount\.identity\.)", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex InClusterName();
}
