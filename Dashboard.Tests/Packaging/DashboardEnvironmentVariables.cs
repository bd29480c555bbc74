using Dashboard.Configuration;
using Microsoft.Extensions.Configuration;

namespace Dashboard.Tests.Packaging;

/// <summary>The dashboard's settings from the environment a compose file or manifest gives it, validated as the dashboard validates them.</summary>
internal static class DashboardEnvironmentVariables
{
    public static (DashboardSettings? Settings, IReadOnlyList<string> Errors) Parse(IReadOnlyDictionary<string, string> environment, DashboardEnvironment machine)
    {
        // As the environment-variable configuration provider reads them: "__" separates sections.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Where(e => e.Key.StartsWith(ConfigKeys.Section + "__", StringComparison.Ordinal))
                .Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        var options = new DashboardOptions();
        DashboardOptionsBinder.Bind(configuration, options);
        return DashboardOptionsParser.Parse(options, machine);
    }
}
