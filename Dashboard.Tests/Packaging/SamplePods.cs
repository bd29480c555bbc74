using k8s.Models;

namespace Dashboard.Tests.Packaging;

/// <summary>Pods as a cluster holds them, for discovery and relabelling tests: meshed ones as injection leaves them.</summary>
internal static class SamplePods
{
    public static V1Pod Pod(string ns, string name, string ip, IDictionary<string, string> labels, bool meshed, string phase = "Running", string? owner = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Uid = $"uid-{ns}-{name}",
            Labels = labels,
            Annotations = meshed ? new Dictionary<string, string> { ["linkerd.io/proxy-version"] = "0.1.0" } : null,
            OwnerReferences = owner is null ? null : [new V1OwnerReference { Kind = owner.Split('/')[0], Name = owner.Split('/')[1], Controller = true, ApiVersion = "apps/v1", Uid = "owner" }],
        },
        Spec = new V1PodSpec
        {
            NodeName = "node-1",
            Containers =
            [
                new V1Container { Name = "app", Image = "example/app:1", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] },
                .. meshed
                    ? (V1Container[])[new V1Container
                    {
                        Name = "linkerd-proxy",
                        Image = "dashboard/proxy:0.1.0",
                        Ports =
                        [
                            new V1ContainerPort { Name = "linkerd-proxy", ContainerPort = 4143 },
                            new V1ContainerPort { Name = "linkerd-admin", ContainerPort = 4191 },
                            new V1ContainerPort { Name = "linkerd-tap", ContainerPort = 4190 },
                        ],
                    }]
                    : [],
            ],
            InitContainers = [new V1Container { Name = "init", Image = "example/init:1" }],
        },
        Status = new V1PodStatus { Phase = phase, PodIP = ip, HostIP = "10.0.0.1", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
    };

    /// <summary>The labels injection gives a meshed pod of <paramref name="kind"/> <paramref name="workload"/>.</summary>
    public static Dictionary<string, string> Meshed(string ns, string kind, string workload, params (string Key, string Value)[] more)
    {
        var labels = new Dictionary<string, string>
        {
            ["linkerd.io/control-plane-ns"] = "linkerd",
            ["linkerd.io/workload-ns"] = ns,
            [$"linkerd.io/proxy-{kind}"] = workload,
            ["app"] = workload,
        };
        foreach (var (key, value) in more)
        {
            labels[key] = value;
        }

        return labels;
    }
}
