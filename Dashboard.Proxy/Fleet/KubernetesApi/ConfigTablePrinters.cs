using k8s.Models;
using static Dashboard.Proxy.Fleet.KubernetesApi.KubeTableFormat;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>The columns of <c>kubectl get sa|cm|secrets</c>.</summary>
internal static class ConfigTablePrinters
{
    public static KubeTablePrinter ServiceAccount { get; } = KubeTablePrinter.Create<V1ServiceAccount>(
    [
        KubeTableColumns.Name,
        new("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
        KubeTableColumns.Age,
    ], static (sa, now) => [sa.Metadata.Name, sa.Secrets?.Count ?? 0, Age(sa.Metadata, now)]);

    public static KubeTablePrinter ConfigMap { get; } = KubeTablePrinter.Create<V1ConfigMap>(
    [
        KubeTableColumns.Name,
        new("Data", "Data contains the configuration data."),
        KubeTableColumns.Age,
    ], static (cm, now) => [cm.Metadata.Name, (cm.Data?.Count ?? 0) + (cm.BinaryData?.Count ?? 0), Age(cm.Metadata, now)]);

    public static KubeTablePrinter Secret { get; } = KubeTablePrinter.Create<V1Secret>(
    [
        KubeTableColumns.Name,
        new("Type", "The type of the secret."),
        new("Data", "Data contains the secret data."),
        KubeTableColumns.Age,
    ], static (secret, now) => [secret.Metadata.Name, secret.Type ?? "Opaque", secret.Data?.Count ?? 0, Age(secret.Metadata, now)]);
}
