using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Tests.Kubernetes;

/// <summary>KubernetesClient, as the dashboard and the proxy use it, against the in-memory API server.</summary>
public sealed class KubernetesClientTests : IAsyncLifetime
{
    private KubeApiHost _host = null!;
    private IKubernetes _client = null!;

    private static CancellationToken Ct => TestTimeouts.Token;

    public async ValueTask InitializeAsync()
    {
        _host = await KubeApiHost.StartAsync(KubeSeed.Create());
        _client = _host.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Lists_pods_in_all_namespaces_and_in_one()
    {
        var all = await _client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: Ct).Within();
        var inDefault = await _client.CoreV1.ListNamespacedPodAsync(KubeSeed.Namespace, cancellationToken: Ct).Within();

        Assert.Equal([KubeSeed.OtherPod, KubeSeed.Pod1, KubeSeed.Pod2], all.Items.Select(p => p.Metadata.Name).Order());
        Assert.Equal([KubeSeed.Pod1, KubeSeed.Pod2], inDefault.Items.Select(p => p.Metadata.Name));
        Assert.Equal("PodList", all.Kind);
        Assert.Equal(_host.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), all.Metadata.ResourceVersion);
        Assert.All(all.Items, p => Assert.Equal(("Pod", "v1"), (p.Kind, p.ApiVersion)));
    }

    [Fact]
    public async Task Gets_a_pod_by_name_with_its_owner_and_assigned_metadata()
    {
        var pod = await _client.CoreV1.ReadNamespacedPodAsync(KubeSeed.Pod1, KubeSeed.Namespace, cancellationToken: Ct).Within();

        Assert.Equal(KubeSeed.Pod1, pod.Metadata.Name);
        Assert.Equal(("ReplicaSet", KubeSeed.ReplicaSetName), (pod.Metadata.OwnerReferences[0].Kind, pod.Metadata.OwnerReferences[0].Name));
        Assert.False(string.IsNullOrEmpty(pod.Metadata.Uid));
        Assert.NotNull(pod.Metadata.CreationTimestamp);
        Assert.True(long.Parse(pod.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("10.42.0.11", pod.Status.PodIP);
    }

    [Theory]
    [InlineData("app=web", new[] { KubeSeed.Pod1, KubeSeed.Pod2 })]
    [InlineData("app==web,pod-template-hash in (6d4cf56db6, other)", new[] { KubeSeed.Pod1, KubeSeed.Pod2 })]
    [InlineData("app!=web", new[] { KubeSeed.OtherPod })]
    [InlineData("tier notin (web),!app", new[] { KubeSeed.OtherPod })]
    [InlineData("tier", new[] { KubeSeed.OtherPod })]
    [InlineData("app in (api)", new string[0])]
    public async Task Lists_pods_with_a_label_selector(string selector, string[] expected)
    {
        var pods = await _client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector, cancellationToken: Ct).Within();

        Assert.Equal(expected, pods.Items.Select(p => p.Metadata.Name).Order());
    }

    [Fact]
    public async Task Lists_pods_with_a_field_selector()
    {
        var pods = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"metadata.name={KubeSeed.Pod2}", cancellationToken: Ct).Within();
        var notDefault = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "metadata.namespace!=default", cancellationToken: Ct).Within();

        Assert.Equal([KubeSeed.Pod2], pods.Items.Select(p => p.Metadata.Name));
        Assert.Equal([KubeSeed.OtherPod], notDefault.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task Lists_deployments_replica_sets_services_and_endpoint_slices()
    {
        var deployments = await _client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: Ct).Within();
        var replicaSets = await _client.AppsV1.ListNamespacedReplicaSetAsync(KubeSeed.Namespace, cancellationToken: Ct).Within();
        var services = await _client.CoreV1.ListNamespacedServiceAsync(KubeSeed.Namespace, cancellationToken: Ct).Within();
        var slices = await _client.DiscoveryV1.ListNamespacedEndpointSliceAsync(KubeSeed.Namespace, labelSelector: "kubernetes.io/service-name=web", cancellationToken: Ct).Within();
        var endpoints = await _client.CoreV1.ReadNamespacedEndpointsAsync("web", KubeSeed.Namespace, cancellationToken: Ct).Within();

        var deployment = Assert.Single(deployments.Items);
        Assert.Equal(("web", "apps/v1", "Deployment"), (deployment.Metadata.Name, deployment.ApiVersion, deployment.Kind));
        Assert.Equal("Deployment", Assert.Single(replicaSets.Items).Metadata.OwnerReferences[0].Kind);
        Assert.Equal(80, Assert.Single(services.Items).Spec.Ports[0].Port);
        var slice = Assert.Single(slices.Items);
        Assert.Equal(("discovery.k8s.io/v1", "EndpointSlice"), (slice.ApiVersion, slice.Kind));
        Assert.Equal(["10.42.0.11", "10.42.0.12"], slice.Endpoints.SelectMany(e => e.Addresses));
        Assert.Equal(2, endpoints.Subsets[0].Addresses.Count);
    }

    [Fact]
    public async Task Lists_namespaces_and_reads_version()
    {
        var namespaces = await _client.CoreV1.ListNamespaceAsync(cancellationToken: Ct).Within();
        var defaultNamespace = await _client.CoreV1.ReadNamespaceAsync(KubeSeed.Namespace, cancellationToken: Ct).Within();
        var version = await _client.Version.GetCodeAsync(cancellationToken: Ct).Within();

        Assert.Equal([KubeSeed.Namespace, "other"], namespaces.Items.Select(n => n.Metadata.Name));
        Assert.Equal("Active", defaultNamespace.Status.Phase);
        Assert.Equal(("1", "30", "v1.30.0"), (version.Major, version.Minor, version.GitVersion));
    }

    [Fact]
    public async Task A_missing_object_is_a_404_HttpOperationException()
    {
        var missingPod = await Assert.ThrowsAsync<HttpOperationException>(
            () => _client.CoreV1.ReadNamespacedPodAsync("nope", KubeSeed.Namespace, cancellationToken: Ct)).Within();
        var missingDeployment = await Assert.ThrowsAsync<HttpOperationException>(
            () => _client.AppsV1.ReadNamespacedDeploymentAsync("nope", KubeSeed.Namespace, cancellationToken: Ct)).Within();

        Assert.Equal(HttpStatusCode.NotFound, missingPod.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(missingPod.Response.Content);
        Assert.Equal(("Status", "NotFound", (int?)404), (status.Kind, status.Reason, status.Code));
        Assert.Equal("pods \"nope\" not found", status.Message);
        Assert.Equal("deployments.apps \"nope\" not found", KubernetesJson.Deserialize<V1Status>(missingDeployment.Response.Content).Message);
    }
}
