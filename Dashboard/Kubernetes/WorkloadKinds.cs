using System.Collections.Immutable;

namespace Dashboard.Kubernetes;

/// <summary>
/// The workload kinds the inventory keeps, spelled as Kubernetes' <c>kind</c> field. Strings, so
/// they map onto any enum of the UI layer by name.
/// </summary>
public static class WorkloadKinds
{
    public const string Deployment = "Deployment";
    public const string StatefulSet = "StatefulSet";
    public const string DaemonSet = "DaemonSet";
    public const string Job = "Job";

    /// <summary>In the order tables list them.</summary>
    public static ImmutableArray<string> All { get; } = [Deployment, StatefulSet, DaemonSet, Job];
}
