using System.Reflection;
using k8s.Models;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>The resources served: the subset the dashboard, the proxy's destination discovery and kubectl read.</summary>
internal static class KubeResources
{
    public static IReadOnlyList<KubeResource> All { get; } =
    [
        Create<V1Namespace>(false, false, ClusterTablePrinters.Namespace, "ns"),
        Create<V1Pod>(true, true, PodTablePrinter.Printer, "po"),
        Create<V1Service>(true, true, NetworkTablePrinters.Service, "svc"),
        Create<V1Endpoints>(true, false, NetworkTablePrinters.Endpoints, "ep"),
        Create<V1Deployment>(true, true, WorkloadTablePrinters.Deployment, "deploy"),
        Create<V1ReplicaSet>(true, true, WorkloadTablePrinters.ReplicaSet, "rs"),
        Create<V1StatefulSet>(true, true, WorkloadTablePrinters.StatefulSet, "sts"),
        Create<V1DaemonSet>(true, true, WorkloadTablePrinters.DaemonSet, "ds"),
        Create<V1EndpointSlice>(true, false, NetworkTablePrinters.EndpointSlice),
        Create<V1Job>(true, true, BatchTablePrinters.Job),
        Create<V1CronJob>(true, true, BatchTablePrinters.CronJob, "cj"),
        Create<V1ServiceAccount>(true, false, ConfigTablePrinters.ServiceAccount, "sa"),
        Create<V1ConfigMap>(true, false, ConfigTablePrinters.ConfigMap, "cm"),
        Create<V1Secret>(true, false, ConfigTablePrinters.Secret),
        Create<V1ClusterRole>(false, false, RbacTablePrinters.ClusterRole),
        Create<V1ClusterRoleBinding>(false, false, RbacTablePrinters.ClusterRoleBinding),
        Create<V1Role>(true, false, RbacTablePrinters.NamespacedRole),
        Create<V1RoleBinding>(true, false, RbacTablePrinters.RoleBinding),
    ];

    /// <summary>Group versions in discovery order; "v1" is the core group.</summary>
    public static IReadOnlyList<string> GroupVersions { get; } = [.. All.Select(r => r.GroupVersion).Distinct()];

    public static IEnumerable<KubeResource> In(string groupVersion) => All.Where(r => r.GroupVersion == groupVersion);

    public static KubeResource? Find(string groupVersion, string plural) =>
        All.FirstOrDefault(r => r.GroupVersion == groupVersion && r.Plural == plural);

    private static KubeResource Create<T>(bool namespaced, bool inCategoryAll, KubeTablePrinter printer, params string[] shortNames)
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T)} is not a Kubernetes model");
        return new KubeResource(typeof(T), entity.Group, entity.ApiVersion, entity.PluralName, entity.Kind,
            namespaced, shortNames, inCategoryAll, printer);
    }
}
