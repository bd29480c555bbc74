using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// What Prometheus' <c>kubernetes_sd_configs</c> with <c>role: pod</c> discovers for a pod: a target per declared
/// container port (address podIP:port), and one per container that declares none (address podIP), each with the
/// pod's <c>__meta_kubernetes_*</c> labels (discovery/kubernetes/pod.go in prometheus/prometheus).
/// </summary>
internal static partial class PodTargets
{
    public static IReadOnlyList<Dictionary<string, string>> Of(V1Pod pod)
    {
        var meta = pod.Metadata;
        var common = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["__meta_kubernetes_namespace"] = meta.NamespaceProperty,
            ["__meta_kubernetes_pod_name"] = meta.Name,
            ["__meta_kubernetes_pod_ip"] = pod.Status?.PodIP ?? "",
            ["__meta_kubernetes_pod_ready"] = (pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false) ? "true" : "false",
            ["__meta_kubernetes_pod_phase"] = pod.Status?.Phase ?? "",
            ["__meta_kubernetes_pod_node_name"] = pod.Spec.NodeName ?? "",
            ["__meta_kubernetes_pod_host_ip"] = pod.Status?.HostIP ?? "",
            ["__meta_kubernetes_pod_uid"] = meta.Uid ?? "",
        };
        foreach (var (name, value) in meta.Labels ?? new Dictionary<string, string>())
        {
            common[$"__meta_kubernetes_pod_label_{Sanitize(name)}"] = value;
            common[$"__meta_kubernetes_pod_labelpresent_{Sanitize(name)}"] = "true";
        }

        foreach (var (name, value) in meta.Annotations ?? new Dictionary<string, string>())
        {
            common[$"__meta_kubernetes_pod_annotation_{Sanitize(name)}"] = value;
            common[$"__meta_kubernetes_pod_annotationpresent_{Sanitize(name)}"] = "true";
        }

        if (meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is { } owner)
        {
            common["__meta_kubernetes_pod_controller_kind"] = owner.Kind;
            common["__meta_kubernetes_pod_controller_name"] = owner.Name;
        }

        var targets = new List<Dictionary<string, string>>();
        var containers = (pod.Spec.InitContainers ?? []).Select(c => (c, Init: true)).Concat(pod.Spec.Containers.Select(c => (c, Init: false)));
        foreach (var (container, init) in containers)
        {
            var labels = new Dictionary<string, string>(common, StringComparer.Ordinal)
            {
                ["__meta_kubernetes_pod_container_name"] = container.Name,
                ["__meta_kubernetes_pod_container_image"] = container.Image ?? "",
                ["__meta_kubernetes_pod_container_init"] = init ? "true" : "false",
            };
            if (container.Ports is not { Count: > 0 } ports)
            {
                targets.Add(new(labels) { ["__address__"] = pod.Status?.PodIP ?? "" });
                continue;
            }

            foreach (var port in ports)
            {
                targets.Add(new(labels)
                {
                    ["__address__"] = $"{pod.Status?.PodIP}:{port.ContainerPort.ToString(CultureInfo.InvariantCulture)}",
                    ["__meta_kubernetes_pod_container_port_name"] = port.Name ?? "",
                    ["__meta_kubernetes_pod_container_port_number"] = port.ContainerPort.ToString(CultureInfo.InvariantCulture),
                    ["__meta_kubernetes_pod_container_port_protocol"] = port.Protocol ?? "TCP",
                });
            }
        }

        return targets;
    }

    /// <summary>Prometheus' label-name sanitising: every character outside [a-zA-Z0-9_] becomes '_'.</summary>
    public static string Sanitize(string name) => Invalid().Replace(name, "_");

    [GeneratedRegex("[^a-zA-Z0-9_]")]
    private static partial Regex Invalid();
}
