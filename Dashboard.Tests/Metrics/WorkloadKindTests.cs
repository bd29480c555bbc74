using Dashboard.Model;

namespace Dashboard.Tests.Metrics;

public sealed class WorkloadKindTests
{
    [Theory]
    [InlineData(WorkloadKind.Namespace, "namespace", "namespaces", "Namespace")]
    [InlineData(WorkloadKind.Deployment, "deployment", "deployments", "Deployment")]
    [InlineData(WorkloadKind.StatefulSet, "statefulset", "statefulsets", "StatefulSet")]
    [InlineData(WorkloadKind.DaemonSet, "daemonset", "daemonsets", "DaemonSet")]
    [InlineData(WorkloadKind.Job, "k8s_job", "jobs", "Job")]
    [InlineData(WorkloadKind.Pod, "pod", "pods", "Pod")]
    public void Names_of_each_kind(WorkloadKind kind, string label, string segment, string display)
    {
        Assert.Equal(label, kind.PromLabel());
        Assert.Equal("dst_" + label, kind.DstPromLabel());
        Assert.Equal(segment, kind.UrlSegment());
        Assert.Equal(display, kind.DisplayName());
        Assert.True(WorkloadKindExtensions.TryParseUrlSegment(segment.ToUpperInvariant(), out var parsed));
        Assert.Equal(kind, parsed);
    }

    [Fact]
    public void An_unknown_segment_is_not_a_kind()
    {
        Assert.False(WorkloadKindExtensions.TryParseUrlSegment("replicasets", out _));
        Assert.False(WorkloadKindExtensions.TryParseUrlSegment(null, out _));
    }
}
