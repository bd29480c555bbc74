using Dashboard.Configuration;
using Dashboard.Services;

namespace Dashboard.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// The Prometheus client, the query cache shared by every viewer (an entry lives one refresh interval, so N
    /// viewers of a table cost one set of queries per interval), the metrics service and the table service.
    /// </summary>
    public static IServiceCollection AddDashboardMetrics(this IServiceCollection services)
    {
        services.AddHttpClient(nameof(PrometheusClient));
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<DashboardSettings>().Prometheus;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(PrometheusClient));
            return new PrometheusClient(http, settings.Url, settings.Timeout);
        });
        services.AddSingleton(sp => new QueryCache(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DashboardSettings>().RefreshInterval));
        services.AddSingleton<MetricsService>();
        services.AddSingleton<StatTableService>();
        services.AddScoped<PageVisibility>();
        return services;
    }
}
