using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Proxy.Fleet.Manifest;
using Dashboard.Proxy.Metrics;
using k8s.Models;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// The Kubernetes objects of the fleet, as a cluster with Linkerd injected would have them: Namespace,
/// Deployment → ReplicaSet → Pods (owner references), a Service per deployment with its Endpoints and
/// EndpointSlice; meshed pods carry Linkerd's labels, a proxy container and a <c>linkerd-admin</c> port.
/// </summary>
public static class FleetKubeObjects
{
    public const string ControlPlaneNamespace = "linkerd";
    public const string ProxyContainer = "linkerd-proxy";
    private static readonly DateTime Created = DateTime.UtcNow;

    /// <param name="identity">The fleet's identity material, published where a cluster keeps it; null without identities.</param>
    public static void Publish(KubeStore store, FleetTopology topology, FleetIdentity? identity = null)
    {
        foreach (var ns in topology.Manifest.Namespaces)
        {
            store.Upsert(new V1Namespace { Metadata = new() { Name = ns.Name, Labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns.Name } }, Status = new() { Phase = "Active" } });
            store.Upsert(new V1ServiceAccount { Metadata = Meta(ns.Name, IdentityNames.DefaultServiceAccount, "ServiceAccount", null) });
            foreach (var deployment in ns.Deployments)
            {
                store.Upsert(new V1ServiceAccount { Metadata = Meta(ns.Name, deployment.Name, "ServiceAccount", new Dictionary<string, string> { ["app"] = deployment.Name }) });
                PublishDeployment(store, topology, ns.Name, deployment, identity);
            }
        }

        foreach (var pod in topology.Pods)
        {
            store.Upsert(Pod(pod, identity));
        }

        if (identity is not null)
        {
            FleetIdentityObjects.Publish(store, identity);
        }

        FleetRbacObjects.Publish(store);
    }

    /// <summary>Updates a pod's readiness and the endpoints of its service.</summary>
    public static void UpdatePod(KubeStore store, FleetTopology topology, FleetPod pod, FleetIdentity? identity = null)
    {
        store.Upsert(Pod(pod, identity));
        if (pod.Deployment is { } deployment)
        {
            PublishEndpoints(store, topology, pod.Namespace, deployment.Name);
        }
    }

    private static void PublishDeployment(KubeStore store, FleetTopology topology, string ns, DeploymentSpec deployment, FleetIdentity? identity)
    {
        var hash = FleetNames.PodTemplateHash(ns, deployment.Name);
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = deployment.Name } };
        var ready = topology.ServicePods(ns, deployment.Name).Count(p => p.Ready);
        var template = new V1PodTemplateSpec
        {
            Metadata = new() { Labels = FleetPodTemplates.Labels(ns, deployment.Name, deployment.Meshed, null), Annotations = FleetPodTemplates.Annotations(deployment.Meshed, deployment.Identity) },
            Spec = FleetPodTemplates.Spec(deployment.Meshed, deployment.Name, FleetPodTemplates.ProxyEnv(identity, deployment.Identity, deployment.Name, ns)),
        };
        store.Upsert(new V1Deployment
        {
            Metadata = Meta(ns, deployment.Name, "Deployment", new Dictionary<string, string> { ["app"] = deployment.Name }),
            Spec = new() { Replicas = deployment.Replicas, Selector = selector, Template = template },
            Status = new() { Replicas = deployment.Replicas, ReadyReplicas = ready, AvailableReplicas = ready, UpdatedReplicas = deployment.Replicas, ObservedGeneration = 1 },
        });
        var rsName = $"{deployment.Name}-{hash}";
        var rsMeta = Meta(ns, rsName, "ReplicaSet", new Dictionary<string, string> { ["app"] = deployment.Name, ["pod-template-hash"] = hash });
        rsMeta.OwnerReferences = [Owner("apps/v1", "Deployment", ns, deployment.Name)];
        store.Upsert(new V1ReplicaSet
        {
            Metadata = rsMeta,
            Spec = new() { Replicas = deployment.Replicas, Selector = selector, Template = template },
            Status = new() { Replicas = deployment.Replicas, ReadyReplicas = ready, AvailableReplicas = ready, FullyLabeledReplicas = deployment.Replicas },
        });
        store.Upsert(new V1Service
        {
            Metadata = Meta(ns, deployment.Name, "Service", new Dictionary<string, string> { ["app"] = deployment.Name }),
            Spec = new()
            {
                Type = "ClusterIP",
                ClusterIP = "None",
                Selector = new Dictionary<string, string> { ["app"] = deployment.Name },
                Ports = [new V1ServicePort { Name = "http", Port = FleetPod.ServicePort, TargetPort = FleetPod.AppPort, Protocol = "TCP" }],
            },
        });
        PublishEndpoints(store, topology, ns, deployment.Name);
    }

    private static void PublishEndpoints(KubeStore store, FleetTopology topology, string ns, string service)
    {
        var pods = topology.ServicePods(ns, service);
        store.Upsert(new V1EndpointSlice
        {
            Metadata = Meta(ns, $"{service}-{FleetNames.PodTemplateHash(ns, service)[..5]}", "EndpointSlice",
                new Dictionary<string, string> { ["kubernetes.io/service-name"] = service, ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io" }),
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Name = "http", Port = FleetPod.AppPort, Protocol = "TCP" }],
            Endpoints = [.. pods.Select(p => new V1Endpoint
            {
                Addresses = [p.Ip.ToString()],
                Conditions = new V1EndpointConditions { Ready = p.Ready, Serving = p.Ready, Terminating = false },
                TargetRef = new V1ObjectReference { Kind = "Pod", Name = p.Name, NamespaceProperty = ns, Uid = FleetNames.Uid("Pod", ns, p.Name) },
                NodeName = "fleet",
            })],
        });
        var ready = pods.Where(p => p.Ready).Select(Address).ToList();
        var notReady = pods.Where(p => !p.Ready).Select(Address).ToList();
        store.Upsert(new V1Endpoints
        {
            Metadata = Meta(ns, service, "Endpoints", new Dictionary<string, string> { ["app"] = service }),
            Subsets = pods.Count == 0 ? null :
            [
                new V1EndpointSubset
                {
                    Addresses = ready.Count == 0 ? null : ready,
                    NotReadyAddresses = notReady.Count == 0 ? null : notReady,
                    Ports = [new Corev1EndpointPort { Name = "http", Port = FleetPod.AppPort, Protocol = "TCP" }],
                },
            ],
        });
    }

    private static V1EndpointAddress Address(FleetPod pod) => new()
    {
        Ip = pod.Ip.ToString(),
        NodeName = "fleet",
        TargetRef = new V1ObjectReference { Kind = "Pod", Name = pod.Name, NamespaceProperty = pod.Namespace },
    };

    private static V1Pod Pod(FleetPod pod, FleetIdentity? identity)
    {
        var deployment = pod.Deployment?.Name;
        var metadata = Meta(pod.Namespace, pod.Name, "Pod", FleetPodTemplates.Labels(pod.Namespace, deployment, pod.Meshed, deployment is null ? null : FleetNames.PodTemplateHash(pod.Namespace, deployment)));
        if (deployment is not null)
        {
            metadata.OwnerReferences = [Owner("apps/v1", "ReplicaSet", pod.Namespace, $"{deployment}-{FleetNames.PodTemplateHash(pod.Namespace, deployment)}")];
        }

        metadata.Annotations = FleetPodTemplates.Annotations(pod.Meshed, pod.HasIdentity);
        var spec = FleetPodTemplates.Spec(pod.Meshed, pod.ServiceAccount, FleetPodTemplates.ProxyEnv(identity, pod.HasIdentity, pod.ServiceAccount, pod.Namespace));
        var running = pod.Phase == "Running";
        var containers = spec.Containers.Select(c => new V1ContainerStatus
        {
            Name = c.Name,
            Image = c.Image,
            ImageID = c.Image,
            Ready = running && pod.Ready,
            Started = running,
            RestartCount = 0,
            State = running
                ? new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Created } }
                : new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = pod.Phase == "Succeeded" ? 0 : 1, Reason = pod.Phase == "Succeeded" ? "Completed" : "Error" } },
        }).ToList();
        return new V1Pod
        {
            Metadata = metadata,
            Spec = spec,
            Status = new V1PodStatus
            {
                Phase = pod.Phase,
                PodIP = pod.Ip.ToString(),
                PodIPs = [new V1PodIP { Ip = pod.Ip.ToString() }],
                HostIP = "127.0.0.1",
                StartTime = Created,
                Conditions =
                [
                    new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = Created },
                    new V1PodCondition { Type = "Initialized", Status = "True", LastTransitionTime = Created },
                    new V1PodCondition { Type = "ContainersReady", Status = pod.Ready ? "True" : "False", LastTransitionTime = Created },
                    new V1PodCondition { Type = "Ready", Status = pod.Ready ? "True" : "False", LastTransitionTime = Created, Reason = pod.Ready ? null : "ContainersNotReady", Message = pod.NotReadyReason },
                ],
                ContainerStatuses = containers,
            },
        };
    }

    internal static V1ObjectMeta Meta(string ns, string name, string kind, IDictionary<string, string>? labels) => new()
    {
        Name = name,
        NamespaceProperty = ns,
        Uid = FleetNames.Uid(kind, ns, name),
        Labels = labels,
        CreationTimestamp = Created,
    };

    private static V1OwnerReference Owner(string apiVersion, string kind, string ns, string name) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = name,
        Uid = FleetNames.Uid(kind, ns, name),
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
