using Dashboard.Model;

namespace Dashboard.Tests.Metrics;

/// <summary>Every spelling of a kind comes from one table: Prometheus labels, URL segments, kubectl's names, Kubernetes' kind.</summary>
public sealed class WorkloadKindTests
{
    [Theory]
    [InlineData(WorkloadKind.Namespace, "namespace", "namespaces", "Namespace", "namespace", "ns")]
    [InlineData(WorkloadKind.Deployment, "deployment", "deployments", "Deployment", "deployment", "deploy")]
    [InlineData(WorkloadKind.StatefulSet, "statefulset", "statefulsets", "StatefulSet", "statefulset", "sts")]
    [InlineData(WorkloadKind.DaemonSet, "daemonset", "daemonsets", "DaemonSet", "daemonset", "ds")]
    [InlineData(WorkloadKind.Job, "k8s_job", "jobs", "Job", "job", "job")]
    [InlineData(WorkloadKind.Pod, "pod", "pods", "Pod", "pod", "po")]
    public void Names_of_each_kind(WorkloadKind kind, string label, string segment, string display, string singular, string shortName)
    {
        Assert.Equal(label, kind.PromLabel());
        Assert.Equal("dst_" + label, kind.DstPromLabel());
        Assert.Equal(segment, kind.UrlSegment());
        Assert.Equal(display, kind.DisplayName());
        Assert.Equal((singular, shortName), (kind.SingularName(), kind.ShortName()));
        Assert.True(WorkloadKindExtensions.TryParseUrlSegment(segment.ToUpperInvariant(), out var parsed));
        Assert.Equal(kind, parsed);
        Assert.All([segment, singular, shortName, display.ToUpperInvariant()], name =>
        {
            Assert.True(WorkloadKindExtensions.TryParseName(name, out var named), name);
            Assert.Equal(kind, named);
        });
        Assert.True(WorkloadKindExtensions.TryParseKubernetesKind(display, out var fromKubernetes));
        Assert.Equal(kind, fromKubernetes);
    }

    [Fact]
    public void An_unknown_name_is_not_a_kind()
    {
        Assert.False(WorkloadKindExtensions.TryParseUrlSegment("replicasets", out _));
        Assert.False(WorkloadKindExtensions.TryParseUrlSegment(null, out _));
        Assert.False(WorkloadKindExtensions.TryParseUrlSegment("deploy", out _));
        Assert.False(WorkloadKindExtensions.TryParseName("rs", out _));
        Assert.False(WorkloadKindExtensions.TryParseKubernetesKind("ReplicaSet", out _));
        Assert.False(WorkloadKindExtensions.TryParseKubernetesKind("deployment", out _));
    }

    [Fact]
    public void Every_kind_has_its_names()
    {
        Assert.Equal(Enum.GetValues<WorkloadKind>().Order(), WorkloadKindExtensions.InCliOrder.Order());
        Assert.Equal([WorkloadKind.Deployment, WorkloadKind.StatefulSet, WorkloadKind.DaemonSet, WorkloadKind.Job], WorkloadKindExtensions.Workloads);
    }
}
