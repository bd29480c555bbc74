using System.Globalization;
using k8s.Models;
using static Dashboard.Proxy.Fleet.KubernetesApi.KubeTableFormat;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>The columns of <c>kubectl get clusterroles|roles|clusterrolebindings|rolebindings</c>.</summary>
internal static class RbacTablePrinters
{
    private static readonly KubeTableColumn CreatedAt = new("Created At", "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.", Format: "date");
    private static readonly KubeTableColumn Role = new("Role", "RoleRef is the reference to the role the binding grants.");

    public static KubeTablePrinter ClusterRole { get; } = KubeTablePrinter.Create<V1ClusterRole>([KubeTableColumns.Name, CreatedAt],
        static (role, _) => [role.Metadata.Name, Created(role.Metadata)]);

    public static KubeTablePrinter NamespacedRole { get; } = KubeTablePrinter.Create<V1Role>([KubeTableColumns.Name, CreatedAt],
        static (role, _) => [role.Metadata.Name, Created(role.Metadata)]);

    public static KubeTablePrinter ClusterRoleBinding { get; } = KubeTablePrinter.Create<V1ClusterRoleBinding>([KubeTableColumns.Name, Role, KubeTableColumns.Age],
        static (binding, now) => [binding.Metadata.Name, $"{binding.RoleRef.Kind}/{binding.RoleRef.Name}", Age(binding.Metadata, now)]);

    public static KubeTablePrinter RoleBinding { get; } = KubeTablePrinter.Create<V1RoleBinding>([KubeTableColumns.Name, Role, KubeTableColumns.Age],
        static (binding, now) => [binding.Metadata.Name, $"{binding.RoleRef.Kind}/{binding.RoleRef.Name}", Age(binding.Metadata, now)]);

    private static string Created(V1ObjectMeta meta) =>
        meta.CreationTimestamp is { } t ? Utc(t).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : None;
}
