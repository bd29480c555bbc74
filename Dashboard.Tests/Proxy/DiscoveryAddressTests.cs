using System.Net;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Discovery;
using k8s.Models;

namespace Dashboard.Tests.Proxy;

/// <summary>What a redirected connection's original destination names: a Service's ClusterIP and port, or a pod's IP.</summary>
public sealed class DiscoveryAddressTests
{
    private static readonly DiscoverySnapshot Snapshot = DiscoverySnapshot.Build(
        [
            new V1Service
            {
                Metadata = new() { Name = "web", NamespaceProperty = "shop", Annotations = new Dictionary<string, string> { [ProxyAnnotations.OpaquePorts] = "3306, 4000-4100" } },
                Spec = new()
                {
                    ClusterIP = "10.96.0.10",
                    ClusterIPs = ["10.96.0.10"],
                    Ports = [new V1ServicePort { Name = "http", Port = 80 }, new V1ServicePort { Name = "mysql", Port = 3306 }, new V1ServicePort { Name = "range", Port = 4050 }],
                },
            },
            new V1Service
            {
                Metadata = new() { Name = "headless", NamespaceProperty = "shop" },
                Spec = new() { ClusterIP = "None", Ports = [new V1ServicePort { Name = "http", Port = 80 }] },
            },
        ],
        [
            new V1EndpointSlice
            {
                Metadata = new() { Name = "web-1", NamespaceProperty = "shop", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "web" } },
                AddressType = "IPv4",
                Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080 }],
                Endpoints = [new V1Endpoint
                {
                    Addresses = ["10.1.0.5"],
                    Conditions = new V1EndpointConditions { Ready = true },
                    TargetRef = new V1ObjectReference { Kind = "Pod", Name = "web-7f9c6d5b8-aaaaa", NamespaceProperty = "shop" },
                }],
            },
        ],
        new Dictionary<(string, string), V1Pod>
        {
            [("shop", "web-7f9c6d5b8-aaaaa")] = new()
            {
                Metadata = new()
                {
                    Name = "web-7f9c6d5b8-aaaaa",
                    NamespaceProperty = "shop",
                    Labels = new Dictionary<string, string> { ["linkerd.io/control-plane-ns"] = "linkerd", ["pod-template-hash"] = "7f9c6d5b8" },
                    OwnerReferences = [new V1OwnerReference { Kind = "ReplicaSet", Name = "web-7f9c6d5b8" }],
                    Annotations = new Dictionary<string, string> { [ProxyAnnotations.OpaquePorts] = "9000" },
                },
                Spec = new() { ServiceAccountName = "web" },
                Status = new() { PodIP = "10.1.0.5", PodIPs = [new V1PodIP { Ip = "10.1.0.5" }] },
            },
            [("kube-system", "node-agent")] = new()
            {
                Metadata = new() { Name = "node-agent", NamespaceProperty = "kube-system" },
                Spec = new() { HostNetwork = true },
                Status = new() { PodIP = "10.0.0.1" },
            },
        });

    [Fact]
    public void A_ClusterIP_and_port_name_the_service_and_its_ready_endpoints()
    {
        var service = Snapshot.Resolve(new IPEndPoint(IPAddress.Parse("10.96.0.10"), 80));

        Assert.NotNull(service);
        Assert.Equal(("shop", "web"), (service.Namespace, service.Name));
        var endpoint = Assert.Single(service.Endpoints);
        Assert.Equal("10.1.0.5:8080", endpoint.Address);
        Assert.Equal("web.shop.serviceaccount.identity.cluster.local", endpoint.Identity);
    }

    [Fact]
    public void A_pod_address_names_that_pod_with_its_labels_and_identity_at_the_port_dialled()
    {
        var endpoint = Assert.Single(Snapshot.Resolve(new IPEndPoint(IPAddress.Parse("10.1.0.5"), 9090))!.Endpoints);

        Assert.Equal("10.1.0.5:9090", endpoint.Address);
        Assert.Equal(new("shop", "", "web", "web-7f9c6d5b8-aaaaa"), endpoint.Labels);
        Assert.Equal("web.shop.serviceaccount.identity.cluster.local", endpoint.Identity);
    }

    [Theory]
    [InlineData("10.96.0.10", 443)] // the Service has no such port
    [InlineData("10.0.0.1", 80)] // a pod on the node's network: the node's address names no pod
    [InlineData("192.0.2.7", 80)] // outside the cluster
    public void Addresses_discovery_does_not_know_name_nothing(string address, int port) =>
        Assert.Null(Snapshot.Resolve(new IPEndPoint(IPAddress.Parse(address), port)));

    [Theory]
    [InlineData("10.96.0.10", 80, false)]
    [InlineData("10.96.0.10", 3306, true)] // the Service's annotation names the port
    [InlineData("10.96.0.10", 4050, true)] // and a range holding it
    [InlineData("10.1.0.5", 9000, true)] // the pod's annotation, for its own address
    [InlineData("10.1.0.5", 8080, false)]
    public void Ports_named_by_the_opaque_ports_annotation_of_the_Service_or_the_pod_are_opaque(string address, int port, bool opaque) =>
        Assert.Equal(opaque, Snapshot.Resolve(new IPEndPoint(IPAddress.Parse(address), port))!.Opaque);

    [Fact]
    public void A_bad_opaque_ports_annotation_is_reported_naming_its_object_and_leaves_the_ports_detected()
    {
        var problems = new List<string>();
        var service = new V1Service
        {
            Metadata = new() { Name = "db", NamespaceProperty = "shop", Annotations = new Dictionary<string, string> { [ProxyAnnotations.OpaquePorts] = "3306,mysql" } },
            Spec = new() { ClusterIP = "10.96.0.20", Ports = [new V1ServicePort { Name = "mysql", Port = 3306 }] },
        };

        var snapshot = DiscoverySnapshot.Build([service], [], new Dictionary<(string, string), V1Pod>(), badAnnotation: problems.Add);

        Assert.False(snapshot.Resolve(new IPEndPoint(IPAddress.Parse("10.96.0.20"), 3306))!.Opaque);
        Assert.StartsWith("Service shop/db: config.linkerd.io/opaque-ports: 'mysql' is not a port", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_whose_pod_has_not_been_seen_yet_is_labelled_with_the_pod_its_slice_names()
    {
        // Pods, Services and EndpointSlices arrive on separate watches: the slice may come first.
        var snapshot = DiscoverySnapshot.Build(
            [new V1Service { Metadata = new() { Name = "late", NamespaceProperty = "shop" }, Spec = new() { ClusterIP = "10.96.0.30", Ports = [new V1ServicePort { Name = "http", Port = 80 }] } }],
            [new V1EndpointSlice
            {
                Metadata = new() { Name = "late-1", NamespaceProperty = "shop", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "late" } },
                AddressType = "IPv4",
                Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080 }],
                Endpoints = [new V1Endpoint { Addresses = ["10.1.0.9"], Conditions = new() { Ready = true }, TargetRef = new() { Kind = "Pod", Name = "late-7f9c6d5b8-ccccc" } }],
            }],
            new Dictionary<(string, string), V1Pod>());

        var endpoint = Assert.Single(snapshot.Resolve(new IPEndPoint(IPAddress.Parse("10.96.0.30"), 80))!.Endpoints);

        Assert.Equal(new("shop", "late", null, "late-7f9c6d5b8-ccccc"), endpoint.Labels);
        Assert.Null(endpoint.Identity);
    }
}
