using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s.Models;

namespace Dashboard.Tests.Kubernetes;

/// <summary>
/// A small cluster: namespaces default and other; in default a deployment "web" with its
/// replica set and two pods (owner references Pod → ReplicaSet → Deployment), a service with
/// its EndpointSlice and Endpoints; in other one pod "db-0".
/// </summary>
internal static class KubeSeed
{
    public const string Namespace = "default";
    public const string ReplicaSetName = "web-6d4cf56db6";
    public const string Pod1 = "web-6d4cf56db6-abcde";
    public const string Pod2 = "web-6d4cf56db6-fghij";
    public const string OtherPod = "db-0";
    public const string SliceName = "web-x7k2p";

    private const string DeploymentUid = "5f0c7e52-0000-4000-8000-000000000001";
    private const string ReplicaSetUid = "5f0c7e52-0000-4000-8000-000000000002";

    public static KubeStore Create(KubeStore? store = null)
    {
        store ??= new KubeStore();
        store.Upsert(new V1Namespace { Metadata = new() { Name = Namespace }, Status = new() { Phase = "Active" } });
        store.Upsert(new V1Namespace { Metadata = new() { Name = "other" }, Status = new() { Phase = "Active" } });
        var selector = new V1LabelSelector { MatchLabels = WebLabels() };
        store.Upsert(new V1Deployment
        {
            Metadata = new() { Name = "web", NamespaceProperty = Namespace, Uid = DeploymentUid, Labels = WebLabels() },
            Spec = new() { Replicas = 2, Selector = selector, Template = Template() },
            Status = new() { Replicas = 2, ReadyReplicas = 2, UpdatedReplicas = 2, AvailableReplicas = 2 },
        });
        store.Upsert(new V1ReplicaSet
        {
            Metadata = new()
            {
                Name = ReplicaSetName,
                NamespaceProperty = Namespace,
                Uid = ReplicaSetUid,
                Labels = WebLabels(hash: true),
                OwnerReferences = [Owner("apps/v1", "Deployment", "web", DeploymentUid)],
            },
            Spec = new() { Replicas = 2, Selector = selector, Template = Template() },
            Status = new() { Replicas = 2, ReadyReplicas = 2, AvailableReplicas = 2 },
        });
        store.Upsert(Pod(Pod1, "10.42.0.11"));
        store.Upsert(Pod(Pod2, "10.42.0.12"));
        store.Upsert(new V1Pod
        {
            Metadata = new() { Name = OtherPod, NamespaceProperty = "other", Labels = new Dictionary<string, string> { ["tier"] = "db" } },
            Spec = new() { NodeName = "fleet-node", Containers = [new() { Name = "db", Image = "postgres:16" }] },
            Status = new() { Phase = "Running", PodIP = "10.42.1.5", ContainerStatuses = [Ready("db", "postgres:16")] },
        });
        store.Upsert(new V1Service
        {
            Metadata = new() { Name = "web", NamespaceProperty = Namespace },
            Spec = new()
            {
                Type = "ClusterIP",
                ClusterIP = "10.96.0.10",
                Selector = new Dictionary<string, string> { ["app"] = "web" },
                Ports = [new() { Name = "http", Port = 80, TargetPort = 8080, Protocol = "TCP" }],
            },
        });
        store.Upsert(new V1EndpointSlice
        {
            Metadata = new()
            {
                Name = SliceName,
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "web" },
            },
            AddressType = "IPv4",
            Ports = [new() { Name = "http", Port = 8080, Protocol = "TCP" }],
            Endpoints = [Endpoint(Pod1, "10.42.0.11"), Endpoint(Pod2, "10.42.0.12")],
        });
        store.Upsert(new V1Endpoints
        {
            Metadata = new() { Name = "web", NamespaceProperty = Namespace },
            Subsets = [new() { Addresses = [new() { Ip = "10.42.0.11" }, new() { Ip = "10.42.0.12" }], Ports = [new() { Name = "http", Port = 8080 }] }],
        });
        return store;
    }

    public static V1Pod Pod(string name, string ip) => new()
    {
        Metadata = new()
        {
            Name = name,
            NamespaceProperty = Namespace,
            Labels = WebLabels(hash: true),
            OwnerReferences = [Owner("apps/v1", "ReplicaSet", ReplicaSetName, ReplicaSetUid)],
        },
        Spec = new() { NodeName = "fleet-node", Containers = [new() { Name = "web", Image = "ghcr.io/example/web:1.0" }] },
        Status = new() { Phase = "Running", PodIP = ip, ContainerStatuses = [Ready("web", "ghcr.io/example/web:1.0")] },
    };

    private static Dictionary<string, string> WebLabels(bool hash = false) => hash
        ? new() { ["app"] = "web", ["pod-template-hash"] = "6d4cf56db6" }
        : new() { ["app"] = "web" };

    private static V1PodTemplateSpec Template() => new()
    {
        Metadata = new() { Labels = WebLabels() },
        Spec = new() { Containers = [new() { Name = "web", Image = "ghcr.io/example/web:1.0" }] },
    };

    private static V1OwnerReference Owner(string apiVersion, string kind, string name, string uid) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = uid, Controller = true, BlockOwnerDeletion = true };

    private static V1ContainerStatus Ready(string name, string image) =>
        new() { Name = name, Image = image, ImageID = "", Ready = true, Started = true, RestartCount = 0, State = new() { Running = new() } };

    private static V1Endpoint Endpoint(string pod, string ip) => new()
    {
        Addresses = [ip],
        Conditions = new() { Ready = true },
        NodeName = "fleet-node",
        TargetRef = new() { Kind = "Pod", Name = pod, NamespaceProperty = Namespace },
    };
}
