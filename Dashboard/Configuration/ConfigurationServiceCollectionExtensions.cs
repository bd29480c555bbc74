using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dashboard.Configuration;

public static class ConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="DashboardOptions"/> from <paramref name="configuration"/> (appsettings,
    /// <c>Dashboard__…</c> environment variables, <c>--Dashboard:…</c> arguments), validates them when
    /// the host starts, and registers the validated <see cref="DashboardSettings"/>.
    /// </summary>
    public static IServiceCollection AddDashboardOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(_ => DashboardEnvironment.Detect());
        services.AddSingleton<IValidateOptions<DashboardOptions>, ValidateDashboardOptions>();
        services.AddOptions<DashboardOptions>()
            .Configure(options => DashboardOptionsBinder.Bind(configuration, options))
            .ValidateOnStart();

        // Reading Value runs the validator, which throws with every problem; past it, parsing cannot fail.
        services.TryAddSingleton(sp => DashboardOptionsParser.Parse(
            sp.GetRequiredService<IOptions<DashboardOptions>>().Value,
            sp.GetRequiredService<DashboardEnvironment>()).Settings!);
        return services;
    }
}
