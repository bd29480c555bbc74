namespace Dashboard.Contracts.Tap;

/// <summary>
/// What a Kubernetes user must be allowed to tap through the dashboard: verb <see cref="Verb"/> on resource
/// <see cref="Resource"/> of API group <see cref="Group"/> in the tapped namespace, asked of the API server with a
/// SubjectAccessReview (as kube-rbac-proxy asks). The manifests' ClusterRole <see cref="ClusterRole"/> grants it.
/// </summary>
public static class TapAccess
{
    public const string Group = "tap.dashboard.io";
    public const string Resource = "tap";
    public const string Verb = "watch";

    /// <summary>The ClusterRole that grants tap (docker/kubernetes/10-rbac.yaml; the fleet has it too).</summary>
    public const string ClusterRole = "linkerd-dashboard-tap";

    /// <summary>The user and group of a request without credentials, as kube-apiserver names them.</summary>
    public const string AnonymousUser = "system:anonymous";
    public const string UnauthenticatedGroup = "system:unauthenticated";
    public const string AuthenticatedGroup = "system:authenticated";
}
