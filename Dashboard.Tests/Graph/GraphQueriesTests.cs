using Dashboard.Graph;
using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Tests.Graph;

/// <summary>The graph's three queries, exactly as Prometheus receives them, and its URL parameters.</summary>
public sealed class GraphQueriesTests
{
    private static readonly StatWindow Window = StatWindow.Parse("1m");

    [Fact]
    public void The_counts_query_sums_outbound_by_both_ends_or_inbound_without_an_identity_by_destination()
    {
        Assert.Equal(
            "sum by (direction, namespace, deployment, statefulset, daemonset, k8s_job, dst_namespace, dst_deployment, dst_statefulset, dst_daemonset, dst_k8s_job, tls, no_tls_reason, classification) " +
            "(increase(response_total{direction=\"outbound\"}[1m]))" +
            " or sum by (direction, namespace, deployment, statefulset, daemonset, k8s_job, tls, no_tls_reason, classification) " +
            "(increase(response_total{direction=\"inbound\", client_id=\"\", no_tls_reason!=\"loopback\"}[1m]))",
            PromQl.GraphCounts(pods: false, Window));
    }

    [Fact]
    public void The_latency_query_is_the_same_shape_by_bucket_and_by_pod_adds_the_pod_labels()
    {
        Assert.Equal(
            "sum by (direction, namespace, deployment, statefulset, daemonset, k8s_job, pod, dst_namespace, dst_deployment, dst_statefulset, dst_daemonset, dst_k8s_job, dst_pod, le) " +
            "(rate(response_latency_ms_bucket{direction=\"outbound\"}[5m]))" +
            " or sum by (direction, namespace, deployment, statefulset, daemonset, k8s_job, pod, le) " +
            "(rate(response_latency_ms_bucket{direction=\"inbound\", client_id=\"\", no_tls_reason!=\"loopback\"}[5m]))",
            PromQl.GraphLatencyBuckets(pods: true, StatWindow.Parse("5m")));
    }

    [Fact]
    public void The_tcp_query_adds_the_bytes_read_and_written_of_outbound_connections()
    {
        const string By = "namespace, deployment, statefulset, daemonset, k8s_job, dst_namespace, dst_deployment, dst_statefulset, dst_daemonset, dst_k8s_job, tls";
        Assert.Equal(
            $"sum by ({By}) (rate(tcp_read_bytes_total{{direction=\"outbound\", peer=\"dst\"}}[1m])) + sum by ({By}) (rate(tcp_write_bytes_total{{direction=\"outbound\", peer=\"dst\"}}[1m]))",
            PromQl.GraphTcpBytes(pods: false, Window));
    }

    [Theory]
    [InlineData("shop,pay", "5m", "true", null, "namespace=shop,pay&window=5m&pods=true")]
    [InlineData(null, null, null, "true", "window=1m&idle=true")]
    [InlineData(" shop , shop ", "30s", "false", "false", "namespace=shop&window=30s")]
    public void Urls_parse_into_requests_and_back(string? namespaces, string? window, string? pods, string? idle, string query)
    {
        var (request, problem) = GraphQuery.Parse(namespaces, window, pods, idle);

        Assert.Null(problem);
        Assert.Equal(query, GraphQuery.Format(request!));
    }

    [Theory]
    [InlineData("Shop", null, null, "namespace 'Shop' is not a namespace name")]
    [InlineData("shop", "fortnight", null, "window 'fortnight' is not ")]
    [InlineData("shop", "1m", "maybe", "pods 'maybe' is not true or false")]
    public void A_bad_value_is_refused_naming_its_parameter_and_what_was_expected(string? namespaces, string? window, string? pods, string message)
    {
        var (request, problem) = GraphQuery.Parse(namespaces, window, pods, null);

        Assert.Null(request);
        Assert.StartsWith(message, problem, StringComparison.Ordinal);
    }
}
