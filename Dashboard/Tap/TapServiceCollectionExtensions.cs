using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dashboard.Tap;

public static class TapServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ITapService"/>, <see cref="TapAvailability"/>, the dashboard's identity (<see cref="TapClientIdentity"/>, run with the host) and the RBAC check of <see cref="TapStreamEndpoint"/> (needs the options and the inventory).</summary>
    public static IServiceCollection AddTap(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TapAvailability>();
        services.TryAddSingleton<TapClientIdentity>();
        services.AddHostedService(provider => provider.GetRequiredService<TapClientIdentity>());
        services.TryAddSingleton<ITapService, TapService>();
        services.TryAddSingleton<ITapAuthorizer, KubernetesTapAuthorizer>();
        return services;
    }
}
