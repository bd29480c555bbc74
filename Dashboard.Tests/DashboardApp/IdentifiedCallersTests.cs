using System.Collections.ObjectModel;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;

namespace Dashboard.Tests.DashboardApp;

/// <summary>
/// Callers the destination saw by the identity they proved (<c>client_id</c>) that no row of their own outbound metrics
/// accounts for: a caller whose proxies Prometheus does not scrape still shows, as its workload or as the identity.
/// </summary>
public sealed class IdentifiedCallersTests
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = ReadOnlyDictionary<string, string>.Empty;
    private static readonly StatCounts Stats = new(90, 10, 100, 60, 4, 9, 12);

    private static PodInfo Pod(string ns, string name, string owner, string account) =>
        new(ns, name, "Running", true, true, new WorkloadRef(WorkloadKinds.Deployment, ns, owner), "10.1.0.1", NoLabels) { ServiceAccount = account };

    // shop: web (account web), api (account api), two jobs sharing the account batch.
    private static readonly InventorySnapshot Snapshot = new(1,
        [new NamespaceInfo("shop", 5, 5)],
        [
            new WorkloadInfo(new WorkloadRef(WorkloadKinds.Deployment, "shop", "web"), NoLabels, 1, 1),
            new WorkloadInfo(new WorkloadRef(WorkloadKinds.Deployment, "shop", "api"), NoLabels, 1, 1),
            new WorkloadInfo(new WorkloadRef(WorkloadKinds.Deployment, "shop", "report"), NoLabels, 1, 1),
            new WorkloadInfo(new WorkloadRef(WorkloadKinds.Deployment, "shop", "export"), NoLabels, 1, 1),
        ],
        [Pod("shop", "web-1", "web", "web"), Pod("shop", "api-1", "api", "api"), Pod("shop", "report-1", "report", "batch"), Pod("shop", "export-1", "export", "batch")]);

    private static ResourceKey Identity(string account) => new(WorkloadKind.Pod, $"{account}.shop.serviceaccount.identity.cluster.local", $"{account}.shop.serviceaccount.identity.cluster.local");

    private static ResourceKey Deployment(string name) => new(WorkloadKind.Deployment, "shop", name);

    [Fact]
    public void A_caller_known_only_by_its_identity_is_its_workload_and_one_its_own_metrics_show_is_not_repeated()
    {
        StatTableRow[] callers = [StatTableService.InventoryRow(Snapshot, Deployment("web")) with { Stats = Stats }];
        var byIdentity = new Dictionary<ResourceKey, StatCounts> { [Identity("web")] = Stats, [Identity("api")] = Stats };

        var row = Assert.Single(StatTableService.IdentifiedOnly(Snapshot, WorkloadKind.Deployment, callers, byIdentity));

        Assert.Equal((Deployment("api"), "api.shop.serviceaccount.identity.cluster.local", Stats, false, true),
            (row.Key, row.Identity, row.Stats, row.IsIdentityOnly, row.IsMeshed));
    }

    [Fact]
    public void An_identity_several_workloads_run_as_or_none_is_a_row_of_its_own_without_a_page()
    {
        var byIdentity = new Dictionary<ResourceKey, StatCounts> { [Identity("batch")] = Stats, [Identity("gone")] = Stats, [new(WorkloadKind.Pod, "x", "not-an-identity")] = Stats };

        var rows = StatTableService.IdentifiedOnly(Snapshot, WorkloadKind.Deployment, [], byIdentity).ToList();

        Assert.Equal(["batch.shop.serviceaccount.identity.cluster.local", "gone.shop.serviceaccount.identity.cluster.local"], rows.Select(r => r.Name));
        Assert.All(rows, r => Assert.Equal((true, false, "shop"), (r.IsIdentityOnly, r.IsMeshed, r.Namespace)));
    }

    [Fact]
    public void The_destinations_view_of_its_callers_is_asked_by_client_id()
    {
        var test2 = new ResourceKey(WorkloadKind.Deployment, "default", "test-2");

        Assert.Equal(
            """sum(increase(response_total{direction="inbound", namespace="default", deployment="test-2", client_id!=""}[1m])) by (client_id, classification, tls)""",
            PromQl.IdentifiedInboundCounts(test2, StatWindow.Default));
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="default", deployment="test-2", client_id!=""}[1m])) by (le, client_id)""",
            PromQl.IdentifiedInboundLatencyBuckets(test2, StatWindow.Default));
    }
}
