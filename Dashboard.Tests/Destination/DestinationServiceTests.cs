using System.Net;
using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Metrics;
using Dashboard.Proxy.Destination;
using Dashboard.Tests.Kubernetes;
using Grpc.Core;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Destination;

/// <summary>
/// The destination service over real gRPC on loopback, watching a Kubernetes API served from a store (<see cref="KubeSeed"/>:
/// Service default/web at 10.96.0.10:80 with pods 10.42.0.11 and 10.42.0.12 on port 8080).
/// </summary>
public sealed class DestinationServiceTests
{
    private static readonly string[] SeedEndpoints = ["10.42.0.11:8080", "10.42.0.12:8080"];

    [Theory]
    [InlineData("web.default.svc.cluster.local:80", "other")]
    [InlineData("web.default:80", "other")]
    [InlineData("web", "default")]
    public async Task A_service_named_by_authority_answers_its_ready_endpoints_with_their_labels(string authority, string callerNamespace)
    {
        await using var destination = await TestDestination.StartAsync(KubeSeed.Create());
        using var stream = destination.GetAuthority(authority, callerNamespace);

        var add = (await stream.NextAsync()).Add;

        Assert.Equal(SeedEndpoints, add.Endpoints.Select(e => e.Address).Order());
        var endpoint = add.Endpoints.Single(e => e.Address == "10.42.0.11:8080");
        Assert.Equal(new Dictionary<string, string>
        {
            [LabelNames.DstNamespace] = "default", [LabelNames.DstService] = "web", [LabelNames.DstDeployment] = "web", [LabelNames.DstPod] = KubeSeed.Pod1,
        }, endpoint.MetricLabels);
        Assert.False(endpoint.Meshed);
        Assert.Equal("", endpoint.Identity);
    }

    [Fact]
    public async Task A_service_named_by_its_cluster_ip_answers_the_same_endpoints()
    {
        await using var destination = await TestDestination.StartAsync(KubeSeed.Create());
        using var stream = destination.GetAddress("10.96.0.10:80");

        var add = (await stream.NextAsync()).Add;

        Assert.Equal(SeedEndpoints, add.Endpoints.Select(e => e.Address).Order());
        Assert.All(add.Endpoints, e => Assert.Equal("web", e.MetricLabels[LabelNames.DstService]));
    }

    [Fact]
    public async Task A_meshed_pod_named_by_its_ip_answers_itself_with_its_identity()
    {
        var store = KubeSeed.Create();
        var pod = KubeSeed.Pod(KubeSeed.Pod1, "10.42.0.11");
        pod.Metadata.Labels["linkerd.io/control-plane-ns"] = "linkerd";
        pod.Spec.ServiceAccountName = "web";
        store.Upsert(pod);
        await using var destination = await TestDestination.StartAsync(store);
        using var stream = destination.GetAddress("10.42.0.11:8080");

        var endpoint = Assert.Single((await stream.NextAsync()).Add.Endpoints);

        Assert.Equal("10.42.0.11:8080", endpoint.Address);
        Assert.True(endpoint.Meshed);
        Assert.Equal("web.default.serviceaccount.identity.cluster.local", endpoint.Identity);
        Assert.Equal(KubeSeed.Pod1, endpoint.MetricLabels[LabelNames.DstPod]);
        Assert.False(endpoint.MetricLabels.ContainsKey(LabelNames.DstService));
    }

    [Fact]
    public async Task Scaling_up_and_down_reaches_the_stream_as_adds_and_removes()
    {
        await using var destination = await TestDestination.StartAsync(KubeSeed.Create());
        using var stream = destination.GetAuthority("web.default.svc.cluster.local:80");
        Assert.Equal(2, (await stream.NextAsync()).Add.Endpoints.Count);

        destination.Store.Upsert(KubeSeed.Pod("web-6d4cf56db6-klmno", "10.42.0.13"));
        destination.Store.Upsert(Slice("10.42.0.11", "10.42.0.12", "10.42.0.13"));
        var added = await stream.NextAsync();
        // The pod and its slice come on separate watches: a slice seen first adds the endpoint without what only the pod
        // tells (its deployment), and the pod's arrival replaces it with a second Add.
        while (!Assert.Single(added.Add.Endpoints).MetricLabels.ContainsKey(LabelNames.DstDeployment))
        {
            added = await stream.NextAsync();
        }

        Assert.Equal("10.42.0.13:8080", Assert.Single(added.Add.Endpoints).Address);

        destination.Store.Upsert(Slice("10.42.0.13"));
        var removed = await stream.NextAsync();
        Assert.Equal(SeedEndpoints, removed.Remove.Addresses.Order());
    }

    [Fact]
    public async Task An_endpoint_turning_not_ready_is_removed_and_the_last_one_leaves_no_endpoints_of_a_service_that_exists()
    {
        await using var destination = await TestDestination.StartAsync(KubeSeed.Create());
        using var stream = destination.GetAuthority("web.default:80");
        await stream.NextAsync();

        var slice = Slice("10.42.0.11", "10.42.0.12");
        slice.Endpoints[0].Conditions.Ready = false;
        destination.Store.Upsert(slice);
        Assert.Equal(["10.42.0.11:8080"], (await stream.NextAsync()).Remove.Addresses);

        destination.Store.Upsert(Slice());
        var none = await stream.NextAsync();
        Assert.Equal(Update.KindOneofCase.NoEndpoints, none.KindCase);
        Assert.True(none.NoEndpoints.Exists);
    }

    [Fact]
    public async Task A_service_asked_by_its_cluster_ip_without_ready_endpoints_is_named_in_no_endpoints()
    {
        var store = KubeSeed.Create();
        store.Upsert(Slice());
        await using var destination = await TestDestination.StartAsync(store);
        using var stream = destination.GetAddress("10.96.0.10:80");

        var none = (await stream.NextAsync()).NoEndpoints;

        Assert.Equal((true, "default", "web"), (none.Exists, none.Namespace, none.Name));
    }

    [Fact]
    public async Task A_proxy_asking_by_the_cluster_ip_of_a_service_without_ready_endpoints_knows_its_name()
    {
        var store = KubeSeed.Create();
        store.Upsert(Slice());
        await using var destination = await TestDestination.StartAsync(store);
        await using var resolver = new DestinationServiceResolver(destination.Address, new Caller { Namespace = "default", Pod = "client-0" }, NullLoggerFactory.Instance);

        var clusterIp = IPEndPoint.Parse("10.96.0.10:80");

        // The first request waits a bounded time for the answer, which comes once the service has synced.
        await TestTimeouts.Eventually(async () => await resolver.ResolveAsync(clusterIp, TestTimeouts.Token).AsTask().Within() is not null, "the service's answer");
        var service = resolver.Resolve(clusterIp)!;
        Assert.Equal(("default", "web", 0), (service.Namespace, service.Name, service.Endpoints.Count));
    }

    [Fact]
    public async Task Resolving_a_destination_already_subscribed_to_allocates_nothing()
    {
        await using var destination = await TestDestination.StartAsync(KubeSeed.Create());
        await using var resolver = new DestinationServiceResolver(destination.Address, new Caller { Namespace = "default", Pod = "client-0" }, NullLoggerFactory.Instance);
        await TestTimeouts.Eventually(async () => await resolver.ResolveAsync("web", TestTimeouts.Token).AsTask().Within() is not null, "the service's answer");

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.NotNull(resolver.Resolve("web"));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("nothing.default.svc.cluster.local:80")]
    [InlineData("web.default:8080")]
    [InlineData("example.com:443")]
    public async Task A_destination_discovery_does_not_know_answers_no_endpoints_that_do_not_exist(string authority)
    {
        await using var destination = await TestDestination.StartAsync(KubeSeed.Create());
        using var stream = destination.GetAuthority(authority);

        var update = await stream.NextAsync();

        Assert.Equal(Update.KindOneofCase.NoEndpoints, update.KindCase);
        Assert.False(update.NoEndpoints.Exists);
    }

    [Fact]
    public async Task A_deleted_service_answers_no_endpoints_and_a_new_one_of_its_name_its_endpoints()
    {
        await using var destination = await TestDestination.StartAsync(KubeSeed.Create());
        using var stream = destination.GetAuthority("web.default.svc.cluster.local:80");
        await stream.NextAsync();
        var service = destination.Store.Get<V1Service>("default", "web")!;

        Assert.True(destination.Store.Delete<V1Service>("default", "web"));
        var gone = await stream.NextAsync();
        Assert.Equal(Update.KindOneofCase.NoEndpoints, gone.KindCase);
        Assert.False(gone.NoEndpoints.Exists);

        destination.Store.Upsert(service);
        Assert.Equal(SeedEndpoints, (await stream.NextAsync()).Add.Endpoints.Select(e => e.Address).Order());
    }

    [Theory]
    [InlineData("web:http", "authority: 'web:http' is not an authority")]
    [InlineData("", "target: neither authority nor address is set")]
    public async Task A_target_that_does_not_parse_is_refused_naming_the_field(string authority, string message)
    {
        await using var destination = await TestDestination.StartAsync(KubeSeed.Create());
        using var stream = authority.Length > 0 ? destination.GetAuthority(authority) : new TestDestination.Subscription(
            destination.Client.Get(new GetDestination(), cancellationToken: TestTimeouts.Token));

        var error = await Assert.ThrowsAsync<RpcException>(() => stream.NextAsync());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(message, error.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>The seed's EndpointSlice of web with ready endpoints at these pod IPs (the seed's pods where they are theirs).</summary>
    private static V1EndpointSlice Slice(params string[] ips) => new()
    {
        Metadata = new() { Name = KubeSeed.SliceName, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "web" } },
        AddressType = "IPv4",
        Ports = [new() { Name = "http", Port = 8080, Protocol = "TCP" }],
        Endpoints = [.. ips.Select(ip => new V1Endpoint
        {
            Addresses = [ip],
            Conditions = new() { Ready = true },
            TargetRef = new() { Kind = "Pod", Name = ip switch { "10.42.0.11" => KubeSeed.Pod1, "10.42.0.12" => KubeSeed.Pod2, _ => "web-6d4cf56db6-klmno" }, NamespaceProperty = "default" },
        })],
    };
}
