using Dashboard.Investigation;
using Dashboard.Model;

namespace Dashboard.Tests.Investigation;

/// <summary>Each pod against the robust baseline of its replicas, leave one out.</summary>
public sealed class SiblingOutliersTests
{
    private static StatCounts Stats(double p50, double p95, double p99, double successes = 100, double failures = 0) =>
        new(successes, failures, 0, 60, p50, p95, p99);

    private static IReadOnlyList<PodOutlier> Find(params (string Pod, StatCounts? Stats)[] pods) =>
        SiblingOutliers.Find(pods.ToDictionary(p => p.Pod, p => p.Stats, StringComparer.Ordinal), InvestigationThresholds.Default);

    [Fact]
    public void One_slow_pod_of_three_is_the_outlier_on_each_percentile_that_left_its_siblings()
    {
        var outliers = Find(("web-a", Stats(5, 10, 20)), ("web-b", Stats(5, 11, 21)), ("web-c", Stats(6, 90, 170)));

        Assert.Equal([new PodOutlier("web-c", OutlierMetric.P95, 90, 10.5), new PodOutlier("web-c", OutlierMetric.P99, 170, 20.5)], outliers);
    }

    [Fact]
    public void Pods_alike_have_no_outlier()
    {
        Assert.Empty(Find(("web-a", Stats(5, 10, 20)), ("web-b", Stats(6, 12, 24)), ("web-c", Stats(5, 11, 22))));
    }

    [Fact]
    public void A_failing_pod_is_a_success_rate_outlier_against_its_siblings_median()
    {
        var outliers = Find(("web-a", Stats(5, 10, 20)), ("web-b", Stats(5, 11, 21)), ("web-c", Stats(5, 10, 20, 80, 20)));

        Assert.Equal([new PodOutlier("web-c", OutlierMetric.SuccessRate, 0.8, 1)], outliers);
    }

    [Fact]
    public void Two_pods_give_no_baseline_and_no_outlier()
    {
        Assert.Empty(Find(("web-a", Stats(5, 10, 20)), ("web-c", Stats(50, 900, 1700, 10, 90))));
    }

    [Fact]
    public void A_pod_without_traffic_or_with_too_few_requests_is_not_a_sibling()
    {
        var outliers = Find(("web-a", Stats(5, 10, 20)), ("web-b", Stats(5, 10, 20, successes: 9)), ("web-c", Stats(6, 90, 170)), ("web-d", null));

        Assert.Empty(outliers);
    }
}
