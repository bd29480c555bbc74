namespace Dashboard.Model;

/// <summary>The kinds of resource the dashboard aggregates traffic by.</summary>
public enum WorkloadKind
{
    Namespace,
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    Pod,
}
