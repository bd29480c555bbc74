using Dashboard.Contracts.Tap;
using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s.Models;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// The fleet's RBAC: the ClusterRole that grants tap through the dashboard (<see cref="TapAccess"/>), as the manifests
/// have it, bound to <c>system:unauthenticated</c>. The fleet is a sandbox on loopback that ./run.sh starts without
/// credentials, so anyone who can reach it may tap; a user of its token file (<c>--token-auth-file</c>) is
/// authenticated, no longer in that group, and needs a binding of their own.
/// </summary>
internal static class FleetRbacObjects
{
    public const string SandboxBinding = TapAccess.ClusterRole + "-sandbox";

    public static void Publish(KubeStore store)
    {
        store.Upsert(new V1ClusterRole
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRole",
            Metadata = new V1ObjectMeta { Name = TapAccess.ClusterRole, Uid = FleetNames.Uid("ClusterRole", "", TapAccess.ClusterRole), CreationTimestamp = DateTime.UtcNow },
            Rules = [new V1PolicyRule { ApiGroups = [TapAccess.Group], Resources = [TapAccess.Resource], Verbs = [TapAccess.Verb] }],
        });
        store.Upsert(new V1ClusterRoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRoleBinding",
            Metadata = new V1ObjectMeta { Name = SandboxBinding, Uid = FleetNames.Uid("ClusterRoleBinding", "", SandboxBinding), CreationTimestamp = DateTime.UtcNow },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = TapAccess.ClusterRole },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = TapAccess.UnauthenticatedGroup }],
        });
    }
}
