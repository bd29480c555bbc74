using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Tests.Investigation;

/// <summary>The queries an investigation adds to the charts' and edges', as the exact strings sent to Prometheus.</summary>
public sealed class InvestigationPromQlTests
{
    private static readonly ResourceKey Gateway = new(WorkloadKind.Deployment, "shop", "gateway");
    private static readonly ResourceKey Shop = ResourceKey.ForNamespace("shop");
    private static readonly StatWindow RateWindow = StatWindow.Parse("40s");

    [Fact]
    public void Unmeshed_inbound_selects_the_requests_without_a_client_identity()
    {
        Assert.Equal("direction=\"inbound\", namespace=\"shop\", client_id=\"\", deployment=\"gateway\"", PromQl.UnmeshedInbound(Gateway));
        Assert.Equal("direction=\"inbound\", namespace=\"shop\", client_id=\"\"", PromQl.UnmeshedInbound(Shop));
    }

    [Fact]
    public void Pod_latency_buckets_group_the_resources_inbound_buckets_by_bound_and_pod()
    {
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="shop", deployment="gateway"}[40s])) by (le, pod)""",
            PromQl.PodLatencyBuckets(Gateway, RateWindow));
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="shop"}[40s])) by (le, pod)""",
            PromQl.PodLatencyBuckets(Shop, RateWindow));
    }

    [Fact]
    public void Pod_response_rates_group_by_pod_and_classification()
    {
        Assert.Equal(
            """sum(rate(response_total{direction="inbound", namespace="shop", deployment="gateway"}[40s])) by (pod, classification)""",
            PromQl.PodResponseRates(Gateway, RateWindow));
        Assert.Equal(
            """sum(rate(response_total{direction="inbound", namespace="shop"}[40s])) by (pod, classification)""",
            PromQl.PodResponseRates(Shop, RateWindow));
    }

    [Fact]
    public void Unmeshed_latency_buckets_group_by_bound_alone()
    {
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="shop", client_id="", deployment="gateway"}[40s])) by (le)""",
            PromQl.UnmeshedLatencyBuckets(Gateway, RateWindow));
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="shop", client_id=""}[40s])) by (le)""",
            PromQl.UnmeshedLatencyBuckets(Shop, RateWindow));
    }

    [Fact]
    public void Unmeshed_response_rates_group_by_classification()
    {
        Assert.Equal(
            """sum(rate(response_total{direction="inbound", namespace="shop", client_id="", deployment="gateway"}[40s])) by (classification)""",
            PromQl.UnmeshedResponseRates(Gateway, RateWindow));
        Assert.Equal(
            """sum(rate(response_total{direction="inbound", namespace="shop", client_id=""}[40s])) by (classification)""",
            PromQl.UnmeshedResponseRates(Shop, RateWindow));
    }

    [Fact]
    public void The_chart_queries_an_investigation_reads_for_the_resource_itself()
    {
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="shop", deployment="gateway"}[40s])) by (le)""",
            PromQl.ChartLatencyBuckets(Gateway, RateWindow));
        Assert.Equal(
            """sum(rate(response_total{direction="inbound", namespace="shop", deployment="gateway"}[40s])) by (classification)""",
            PromQl.ChartResponseRates(Gateway, RateWindow));
        Assert.Equal(
            """sum(rate(response_total{direction="inbound", namespace="shop"}[40s])) by (classification)""",
            PromQl.ChartResponseRates(Shop, RateWindow));
    }

    [Fact]
    public void Downstream_latency_buckets_are_the_resources_outbound_buckets_by_destination()
    {
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="outbound", namespace="shop", deployment="gateway"}[40s])) by (le, dst_namespace, dst_deployment)""",
            PromQl.EdgeLatencyBuckets(Gateway, EdgeDirection.Outbound, RateWindow));
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="outbound", namespace="shop"}[40s])) by (le, dst_namespace)""",
            PromQl.EdgeLatencyBuckets(Shop, EdgeDirection.Outbound, RateWindow));
    }
}
