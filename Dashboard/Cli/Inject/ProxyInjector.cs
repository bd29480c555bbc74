using Dashboard.Contracts.Identity;
using Dashboard.Hosting;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Inject;

/// <summary>
/// Adds the proxy to the pod template of every Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and Pod
/// in a document (or in the items of a <c>List</c>): the init container that redirects the pod's traffic (unless
/// <see cref="InjectOptions.ManualRedirect"/>), the sidecar container, the meshed labels and the version annotation. The
/// app's containers and ports, and Services, are left as they are. A workload that has the proxy already is skipped, so injecting twice equals injecting once.
/// </summary>
public static class ProxyInjector
{
    /// <summary>The kinds inject changes, with the API group each must belong to ("" is the core group).</summary>
    public static IReadOnlyDictionary<string, string[]> Kinds { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Deployment"] = ["apps", "extensions"],
        ["StatefulSet"] = ["apps"],
        ["DaemonSet"] = ["apps", "extensions"],
        ["ReplicaSet"] = ["apps", "extensions"],
        ["Job"] = ["batch"],
        ["CronJob"] = ["batch"],
        ["Pod"] = [""],
    };

    /// <param name="where">The input and document, for error messages ("deploy.yaml, document 2").</param>
    /// <exception cref="InjectManifestException">A workload whose pod template is not where its kind puts it.</exception>
    public static IReadOnlyList<InjectOutcome> Inject(YamlMappingNode root, InjectOptions options, string where)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        var kind = YamlNodes.Text(root, "kind");
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && YamlNodes.Get(root, "items") is YamlSequenceNode items)
        {
            return [.. items.Children.OfType<YamlMappingNode>().SelectMany(item => Inject(item, options, where))];
        }

        var apiVersion = YamlNodes.Text(root, "apiVersion") ?? "";
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        return kind is not null && Kinds.TryGetValue(kind, out var groups) && groups.Contains(group)
            ? [InjectWorkload(root, kind, options, where)]
            : [];
    }

    private static InjectOutcome InjectWorkload(YamlMappingNode root, string kind, InjectOptions options, string where)
    {
        var metadata = YamlNodes.Get(root, "metadata") as YamlMappingNode;
        var name = (metadata is null ? null : YamlNodes.Text(metadata, "name") ?? YamlNodes.Text(metadata, "generateName")) ?? "(unnamed)";
        var path = kind switch
        {
            "Pod" => [],
            "CronJob" => new[] { "spec", "jobTemplate", "spec", "template" },
            _ => ["spec", "template"],
        };
        var template = root;
        foreach (var step in path)
        {
            template = YamlNodes.Get(template, step) as YamlMappingNode
                ?? throw Invalid(where, kind, name, $"{string.Join('.', path)} is missing or not a mapping");
        }

        var prefix = path.Length == 0 ? "" : string.Join('.', path) + ".";
        var spec = YamlNodes.Get(template, "spec") as YamlMappingNode ?? throw Invalid(where, kind, name, $"{prefix}spec is missing or not a mapping");
        if (YamlNodes.Get(spec, "containers") is not YamlSequenceNode { Children.Count: > 0 } containers)
        {
            throw Invalid(where, kind, name, $"{prefix}spec.containers is missing or empty");
        }

        if (containers.Children.OfType<YamlMappingNode>().Any(c => YamlNodes.Text(c, "name") == ControlPlane.ProxyContainer))
        {
            return new InjectOutcome(kind, name, $"already injected (it has a {ControlPlane.ProxyContainer} container)");
        }

        if (string.Equals(YamlNodes.Text(spec, "hostNetwork"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new InjectOutcome(kind, name, "uses the host's network (hostNetwork: true), where the proxy's ports would collide with the node's");
        }

        var podMetadata = YamlNodes.Mapping(template, "metadata", first: true) ?? throw Invalid(where, kind, name, $"{prefix}metadata is not a mapping");
        var labels = YamlNodes.Mapping(podMetadata, "labels") ?? throw Invalid(where, kind, name, $"{prefix}metadata.labels is not a mapping");
        var annotations = YamlNodes.Mapping(podMetadata, "annotations") ?? throw Invalid(where, kind, name, $"{prefix}metadata.annotations is not a mapping");
        var config = PodProxyConfig.Read(annotations, $"{prefix}metadata.annotations", problem => Invalid(where, kind, name, problem));
        var volumes = YamlNodes.Sequence(spec, "volumes") ?? throw Invalid(where, kind, name, $"{prefix}spec.volumes is not a list");
        var initContainers = options.ManualRedirect ? null
            : YamlNodes.Sequence(spec, "initContainers") ?? throw Invalid(where, kind, name, $"{prefix}spec.initContainers is not a list");
        YamlNodes.SetString(labels, MeshLabels.ControlPlaneNamespace, options.ControlPlaneNamespace);
        if (metadata is not null && YamlNodes.Text(metadata, "namespace") is { Length: > 0 } ns)
        {
            YamlNodes.SetString(labels, MeshLabels.WorkloadNamespace, ns);
        }

        if (kind != "Pod")
        {
            YamlNodes.SetString(labels, MeshLabels.ProxyOwnerPrefix + kind.ToLowerInvariant(), name);
        }

        YamlNodes.SetString(annotations, MeshLabels.ProxyVersionAnnotation, options.ProxyVersion);
        YamlNodes.SetString(annotations, MeshLabels.CreatedByAnnotation, $"dashboard/cli {BuildVersion.Current}");
        volumes.Add(ProxySidecar.ToNode(ProxySidecar.Volume, "name"));
        if (options.TrustAnchorsPem is null)
        {
            // Peers' proxies read it from discovery: no identity, so they do not try mTLS to this pod.
            YamlNodes.SetString(annotations, IdentityResources.DisableIdentityAnnotation, "true");
        }
        else
        {
            volumes.Add(ProxySidecar.ToNode(ProxyIdentity.Volume, "name"));
        }

        if (initContainers is not null)
        {
            // Last, as Linkerd's injector puts it: init containers before it run unredirected, so they reach the network
            // although no proxy runs yet.
            initContainers.Add(ProxySidecar.ToNode(ProxyInitContainer.Container(options, config), "name", "image"));
            volumes.Add(ProxySidecar.ToNode(ProxyInitContainer.Volume, "name"));
        }

        containers.Add(ProxySidecar.ToNode(ProxySidecar.Container(options, config), "name", "image"));
        return new InjectOutcome(kind, name, null);
    }

    private static InjectManifestException Invalid(string where, string kind, string name, string problem) =>
        new($"{where}: {kind.ToLowerInvariant()} \"{name}\": {problem}");
}
