using Dashboard.Configuration;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Dashboard.Tests.Tap;

namespace Dashboard.Tests.Model;

/// <summary>What the namespace and resource pages and the edges panel show of the inventory, on plain objects.</summary>
public sealed class PageViewModelTests
{
    private static readonly FixedInventory Inventory = new(InventorySnapshotBuilder.Build(1, ["default", "shop"],
        [
            new WorkloadRecord(new WorkloadRef(WorkloadKinds.Deployment, "default", "web"), new Dictionary<string, string>()),
            new WorkloadRecord(new WorkloadRef(WorkloadKinds.StatefulSet, "default", "db"), new Dictionary<string, string>()),
        ],
        new Dictionary<(string, string), ReplicaSetRecord> { [("default", "web-5d8f7")] = new("default", "web-5d8f7", "web") },
        [
            Pod("web-5d8f7-a", "ReplicaSet", "web-5d8f7", "web"),
            Pod("web-5d8f7-b", "ReplicaSet", "web-5d8f7", "web-canary"),
            Pod("db-0", "StatefulSet", "db", "db"),
            Pod("solo", null, null, "default"),
        ]));

    [Fact]
    public void A_namespace_page_has_a_table_per_kind_present_and_pods_and_says_when_the_namespace_is_missing()
    {
        using var model = new NamespaceViewModel(Inventory, ViewHost.Inline) { Namespace = "default" };

        Assert.Equal([WorkloadKind.Deployment, WorkloadKind.StatefulSet, WorkloadKind.Pod], model.Tables());
        Assert.False(model.IsMissing);

        model.Namespace = "shop";
        Assert.Equal([WorkloadKind.Pod], model.Tables());
        model.Namespace = "nowhere";
        Assert.True(model.IsMissing);
    }

    [Theory]
    [InlineData(WorkloadKind.Deployment, "web", true, "2/2", null)]
    [InlineData(WorkloadKind.Pod, "web-5d8f7-a", true, "1/1", "deployments/web")]
    [InlineData(WorkloadKind.Pod, "db-0", true, "1/1", "statefulsets/db")]
    [InlineData(WorkloadKind.Pod, "solo", true, "1/1", null)]
    [InlineData(WorkloadKind.Deployment, "ghost", false, "0/0", null)]
    public void A_resource_page_says_whether_it_exists_its_pods_and_whose_pod_it_is(WorkloadKind kind, string name, bool exists, string meshed, string? owner)
    {
        using var model = new ResourceViewModel(Inventory, ViewHost.Inline) { Resource = new ResourceKey(kind, "default", name) };

        Assert.Equal((exists, !exists, !exists), (model.Exists, model.NotFound, model.IsGone));
        Assert.Equal(meshed, model.Row.Meshed);
        Assert.Equal(owner, model.Owner is { } o ? $"{o.Kind.UrlSegment()}/{o.Name}" : null);
    }

    [Fact]
    public void A_resource_has_traffic_until_its_own_table_loads_without_numbers()
    {
        using var model = new ResourceViewModel(Inventory, ViewHost.Inline) { Resource = new ResourceKey(WorkloadKind.Deployment, "default", "web") };
        var row = model.Row;
        Assert.False(model.NoTraffic);

        model.SelfLoaded(new StatTable(TableScope.Related(model.Resource, TableRelation.Self), StatWindow.Default, [row], DateTimeOffset.UnixEpoch));

        Assert.True(model.NoTraffic);
    }

    [Theory]
    [InlineData(WorkloadKind.Deployment, "web", new[] { "web", "web-canary" })]
    [InlineData(WorkloadKind.Pod, "web-5d8f7-b", new[] { "web-canary" })]
    [InlineData(WorkloadKind.Namespace, "default", new[] { "db", "default", "web", "web-canary" })]
    [InlineData(WorkloadKind.Deployment, "ghost", new string[0])]
    public void An_edge_proves_the_identities_of_the_pods_of_its_resource(WorkloadKind kind, string name, string[] serviceAccounts)
    {
        var settings = FakeTapService.Settings();
        using var http = new HttpClient();
        // Not asked: the identities come from the inventory alone.
        var metrics = new MetricsService(new PrometheusClient(http, settings.Prometheus.Url), new QueryCache(TimeProvider.System, settings.RefreshInterval));
        var model = new EdgesViewModel(metrics, Inventory, settings, TimeProvider.System, new PageVisibility(), ViewHost.Inline);
        var resource = kind == WorkloadKind.Namespace ? ResourceKey.ForNamespace(name) : new ResourceKey(kind, "default", name);

        Assert.Equal(serviceAccounts, model.ServiceAccountsOf(resource).Order(StringComparer.Ordinal));
    }

    private static PodRecord Pod(string name, string? ownerKind, string? ownerName, string serviceAccount) =>
        new("default", name, PodInfo.RunningPhase, true, true, ownerKind, ownerName, "10.0.0.1", new Dictionary<string, string>(), serviceAccount);
}
