using Dashboard.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dashboard.Kubernetes;

public static class InventoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KubernetesInventory"/> as a hosted service and as <see cref="IKubernetesInventory"/>,
    /// reading from the source in <see cref="DashboardSettings.Kubernetes"/> (needs <c>AddDashboardOptions</c>).
    /// </summary>
    public static IServiceCollection AddKubernetesInventory(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new KubernetesInventory(
            sp.GetRequiredService<DashboardSettings>().Kubernetes,
            sp.GetRequiredService<ILogger<KubernetesInventory>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IKubernetesInventory>(sp => sp.GetRequiredService<KubernetesInventory>());
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesInventory>());
        return services;
    }
}
