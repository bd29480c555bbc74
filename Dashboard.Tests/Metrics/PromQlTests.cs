using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Tests.Metrics;

/// <summary>Every PromQL shape, as the exact string sent to Prometheus.</summary>
public sealed class PromQlTests
{
    private static readonly StatWindow OneMinute = StatWindow.Parse("1m");
    private static readonly PromSelector Default = PromSelector.Empty.With("namespace", "default");

    [Fact]
    public void Counts_of_deployments_in_a_namespace()
    {
        Assert.Equal(
            """sum(increase(response_total{direction="inbound", namespace="default"}[1m])) by (namespace, deployment, classification, tls)""",
            PromQl.Counts(WorkloadKind.Deployment, Default, OneMinute));
    }

    [Fact]
    public void Recorded_latency_buckets_read_the_kinds_rule()
    {
        Assert.Equal(
            """sum(deployment:response_latency_ms_bucket:inbound_rate1m{namespace="default"}) by (le, namespace, deployment)""",
            PromQl.RecordedLatencyBuckets(WorkloadKind.Deployment, Default));
        Assert.Equal(
            """sum(pod:response_latency_ms_bucket:inbound_rate1m) by (le, namespace, pod)""",
            PromQl.RecordedLatencyBuckets(WorkloadKind.Pod, PromSelector.Empty));
        Assert.Equal(
            """sum(namespace:response_latency_ms_bucket:inbound_rate1m) by (le, namespace)""",
            PromQl.RecordedLatencyBuckets(WorkloadKind.Namespace, PromSelector.Empty));
    }

    [Fact]
    public void The_recording_rules_record_pods_from_the_raw_histogram_and_every_other_kind_from_the_pods()
    {
        Assert.Equal(
            [
                ("pod:response_latency_ms_bucket:inbound_rate1m",
                    """sum by (namespace, deployment, statefulset, daemonset, k8s_job, pod, le) (rate(response_latency_ms_bucket{direction="inbound"}[1m]))"""),
                ("namespace:response_latency_ms_bucket:inbound_rate1m", "sum by (namespace, le) (pod:response_latency_ms_bucket:inbound_rate1m)"),
                ("deployment:response_latency_ms_bucket:inbound_rate1m",
                    """sum by (namespace, deployment, le) (pod:response_latency_ms_bucket:inbound_rate1m{deployment!=""})"""),
                ("statefulset:response_latency_ms_bucket:inbound_rate1m",
                    """sum by (namespace, statefulset, le) (pod:response_latency_ms_bucket:inbound_rate1m{statefulset!=""})"""),
                ("daemonset:response_latency_ms_bucket:inbound_rate1m",
                    """sum by (namespace, daemonset, le) (pod:response_latency_ms_bucket:inbound_rate1m{daemonset!=""})"""),
                ("k8s_job:response_latency_ms_bucket:inbound_rate1m",
                    """sum by (namespace, k8s_job, le) (pod:response_latency_ms_bucket:inbound_rate1m{k8s_job!=""})"""),
                ("edge:response_latency_ms_bucket:outbound_rate1m",
                    """sum by (direction, namespace, deployment, statefulset, daemonset, k8s_job, dst_namespace, dst_deployment, dst_statefulset, dst_daemonset, dst_k8s_job, le) (rate(response_latency_ms_bucket{direction="outbound"}[1m]))"""),
                ("edge:response_latency_ms_bucket:unidentified_inbound_rate1m",
                    """sum by (direction, namespace, deployment, statefulset, daemonset, k8s_job, le) (rate(response_latency_ms_bucket{direction="inbound", client_id="", no_tls_reason!="loopback"}[1m]))"""),
                ("edge:tcp_bytes:outbound_rate1m", PromQl.GraphTcpBytes(pods: false, StatWindow.Parse("1m"))),
            ],
            PromQl.RecordingRules.Where(r => r.Quantile is null).Select(r => (r.Record, r.Expression)));
        Assert.Equal(
            [
                new("pod:response_latency_ms:inbound_quantile1m", "histogram_quantile(0.5, pod:response_latency_ms_bucket:inbound_rate1m)", "0.5"),
                new("pod:response_latency_ms:inbound_quantile1m", "histogram_quantile(0.95, pod:response_latency_ms_bucket:inbound_rate1m)", "0.95"),
                new RecordingRuleSpec("pod:response_latency_ms:inbound_quantile1m", "histogram_quantile(0.99, pod:response_latency_ms_bucket:inbound_rate1m)", "0.99"),
            ],
            PromQl.RecordingRules.Where(r => r.Quantile is not null));
        Assert.Equal("""pod:response_latency_ms:inbound_quantile1m{namespace="default"}""", PromQl.RecordedPodQuantiles(Default));
    }

    [Fact]
    public void Counts_of_every_namespace_with_an_empty_selector()
    {
        Assert.Equal(
            """sum(increase(response_total{direction="inbound"}[1m])) by (namespace, classification, tls)""",
            PromQl.Counts(WorkloadKind.Namespace, PromSelector.Empty, OneMinute));
    }

    [Theory]
    [InlineData(WorkloadKind.StatefulSet, "statefulset")]
    [InlineData(WorkloadKind.DaemonSet, "daemonset")]
    [InlineData(WorkloadKind.Job, "k8s_job")]
    [InlineData(WorkloadKind.Pod, "pod")]
    public void Counts_group_by_the_kind_label(WorkloadKind kind, string label)
    {
        Assert.Equal(
            $$"""sum(increase(response_total{direction="inbound", namespace="default"}[5m])) by (namespace, {{label}}, classification, tls)""",
            PromQl.Counts(kind, Default, StatWindow.Parse("5m")));
    }

    [Fact]
    public void Selector_labels_follow_direction_namespace_first_then_by_name()
    {
        var selector = PromSelector.Empty.With("pod", "web-1").With("deployment", "web").With("namespace", "default");

        Assert.Equal(
            """sum(increase(response_total{direction="inbound", namespace="default", deployment="web", pod="web-1"}[15s])) by (namespace, pod, classification, tls)""",
            PromQl.Counts(WorkloadKind.Pod, selector, StatWindow.Parse("15s")));
    }

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(0.95, "0.95")]
    [InlineData(0.99, "0.99")]
    public void Quantiles_of_deployments_in_a_namespace(double quantile, string written)
    {
        Assert.Equal(
            $$"""histogram_quantile({{written}}, sum(rate(response_latency_ms_bucket{direction="inbound", namespace="default"}[1m])) by (le, namespace, deployment))""",
            PromQl.Quantile(quantile, WorkloadKind.Deployment, Default, OneMinute));
    }

    [Fact]
    public void Latency_buckets_of_pods_and_of_edges()
    {
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="default"}[1m])) by (le, namespace, pod)""",
            PromQl.LatencyBuckets(WorkloadKind.Pod, Default, OneMinute));
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="outbound", dst_namespace="default", dst_deployment="ml"}[1m])) by (le, namespace, deployment)""",
            PromQl.EdgeLatencyBuckets(new ResourceKey(WorkloadKind.Deployment, "default", "ml"), EdgeDirection.Inbound, OneMinute));
    }

    [Fact]
    public void Quantile_of_every_namespace()
    {
        Assert.Equal(
            """histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{direction="inbound"}[1h])) by (le, namespace))""",
            PromQl.Quantile(0.99, WorkloadKind.Namespace, PromSelector.Empty, StatWindow.Parse("1h")));
    }

    [Fact]
    public void Values_are_escaped_per_PromQL_string_rules()
    {
        var selector = PromSelector.Empty.With("namespace", "a\"b\\c\nd");

        Assert.Equal(
            """sum(increase(response_total{direction="inbound", namespace="a\"b\\c\nd"}[1m])) by (namespace, classification, tls)""",
            PromQl.Counts(WorkloadKind.Namespace, selector, OneMinute));
    }

    [Fact]
    public void Edge_counts_to_a_resource_are_grouped_by_caller()
    {
        Assert.Equal(
            """sum(increase(response_total{direction="outbound", dst_namespace="default", dst_deployment="ml"}[1m])) by (namespace, deployment, classification, tls)""",
            PromQl.EdgeCounts(new ResourceKey(WorkloadKind.Deployment, "default", "ml"), EdgeDirection.Inbound, OneMinute));
    }

    [Fact]
    public void Edge_counts_from_a_resource_are_grouped_by_destination()
    {
        Assert.Equal(
            """sum(increase(response_total{direction="outbound", namespace="default", deployment="test-1"}[1m])) by (dst_namespace, dst_deployment, classification, tls)""",
            PromQl.EdgeCounts(new ResourceKey(WorkloadKind.Deployment, "default", "test-1"), EdgeDirection.Outbound, OneMinute));
    }

    [Fact]
    public void Edge_quantiles_match_the_edge_counts()
    {
        Assert.Equal(
            """histogram_quantile(0.95, sum(rate(response_latency_ms_bucket{direction="outbound", dst_namespace="default", dst_deployment="ml"}[1m])) by (le, namespace, deployment))""",
            PromQl.EdgeQuantile(0.95, new ResourceKey(WorkloadKind.Deployment, "default", "ml"), EdgeDirection.Inbound, OneMinute));
        Assert.Equal(
            """histogram_quantile(0.5, sum(rate(response_latency_ms_bucket{direction="outbound", namespace="default", deployment="test-1"}[1m])) by (le, dst_namespace, dst_deployment))""",
            PromQl.EdgeQuantile(0.5, new ResourceKey(WorkloadKind.Deployment, "default", "test-1"), EdgeDirection.Outbound, OneMinute));
    }

    [Fact]
    public void Tls_edges_group_each_view_by_what_secured_it()
    {
        var test1 = new ResourceKey(WorkloadKind.Deployment, "default", "test-1");
        Assert.Equal(
            """sum(increase(response_total{direction="outbound", namespace="default", deployment="test-1"}[1m])) by (dst_namespace, dst_deployment, server_id, tls, no_tls_reason)""",
            PromQl.TlsEdges(test1, TlsEdgeQuery.Outgoing, OneMinute));
        Assert.Equal(
            """sum(increase(response_total{direction="outbound", dst_namespace="default", dst_deployment="test-1"}[1m])) by (namespace, deployment, server_id, tls, no_tls_reason)""",
            PromQl.TlsEdges(test1, TlsEdgeQuery.Incoming, OneMinute));
        Assert.Equal(
            """sum(increase(response_total{direction="inbound", namespace="default", deployment="test-1"}[1m])) by (client_id, tls, no_tls_reason)""",
            PromQl.TlsEdges(test1, TlsEdgeQuery.Seen, OneMinute));
    }

    [Fact]
    public void Edges_of_a_namespace_and_of_a_job()
    {
        Assert.Equal(
            """sum(increase(response_total{direction="outbound", dst_namespace="shop"}[1m])) by (namespace, classification, tls)""",
            PromQl.EdgeCounts(ResourceKey.ForNamespace("shop"), EdgeDirection.Inbound, OneMinute));
        Assert.Equal(
            """histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{direction="outbound", namespace="batch", k8s_job="nightly"}[1m])) by (le, dst_namespace, dst_k8s_job))""",
            PromQl.EdgeQuantile(0.99, new ResourceKey(WorkloadKind.Job, "batch", "nightly"), EdgeDirection.Outbound, OneMinute));
    }

    [Theory]
    [InlineData("15s", 1, 1)]
    [InlineData("1m", 1, 1)]
    [InlineData("1m", 10, 10)]
    [InlineData("10m", 5, 10)]
    [InlineData("1h", 1, 60)]
    [InlineData("1h", 2.5, 60)]
    [InlineData("90s", 0.5, 2)]
    public void Step_gives_about_sixty_points_and_never_less_than_the_scrape_interval(string window, double scrapeSeconds, int stepSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(stepSeconds), PromQl.StepFor(StatWindow.Parse(window), TimeSpan.FromSeconds(scrapeSeconds)));
    }

    [Fact]
    public void Chart_range_ends_on_a_multiple_of_the_step()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_125).AddMilliseconds(400);

        var range = PromQl.ChartRange(StatWindow.Parse("1h"), now, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromMinutes(1), range.Step);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_100), range.End);
        Assert.Equal(range.End - TimeSpan.FromHours(1), range.Start);
    }

    [Fact]
    public void A_selector_cannot_choose_the_direction_nor_use_a_bad_label_name()
    {
        Assert.Throws<ArgumentException>(() =>
            PromQl.Counts(WorkloadKind.Pod, PromSelector.Empty.With("direction", "outbound"), OneMinute));
        Assert.Throws<ArgumentException>(() => PromSelector.Empty.With("dst-namespace", "x"));
        Assert.Throws<ArgumentException>(() => PromSelector.Empty.With("1pod", "x"));
    }

    [Fact]
    public void Equal_selectors_render_alike_whatever_the_order_they_were_built_in()
    {
        var a = PromSelector.Empty.With("pod", "p").With("namespace", "n");
        var b = PromSelector.Empty.With("namespace", "old").With("pod", "p").With("namespace", "n");

        Assert.Equal(a, b);
        Assert.Equal("namespace=\"n\", pod=\"p\"", b.ToString());
    }

    private static readonly ResourceKey Test2 = new(WorkloadKind.Deployment, "default", "test-2");

    [Fact]
    public void Unmeshed_inbound_counts_read_the_destinations_requests_without_a_client_identity()
    {
        Assert.Equal(
            """sum(increase(response_total{direction="inbound", namespace="default", client_id="", deployment="test-2"}[1m])) by (namespace, deployment, classification, tls)""",
            PromQl.UnmeshedInboundCounts(Test2, OneMinute));
    }

    [Fact]
    public void Unmeshed_inbound_latency_buckets_match_its_counts()
    {
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="default", client_id="", deployment="test-2"}[5m])) by (le, namespace, deployment)""",
            PromQl.UnmeshedInboundLatencyBuckets(Test2, StatWindow.Parse("5m")));
    }

    [Fact]
    public void By_caller_chart_buckets_group_the_callers_outbound_view_by_caller_and_the_unmeshed_by_bound()
    {
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="outbound", dst_namespace="default", dst_deployment="test-2"}[40s])) by (le, namespace, deployment)""",
            PromQl.EdgeLatencyBuckets(Test2, EdgeDirection.Inbound, StatWindow.Parse("40s")));
        Assert.Equal(
            """sum(rate(response_latency_ms_bucket{direction="inbound", namespace="default", client_id="", deployment="test-2"}[40s])) by (le)""",
            PromQl.UnmeshedLatencyBuckets(Test2, StatWindow.Parse("40s")));
    }
}
