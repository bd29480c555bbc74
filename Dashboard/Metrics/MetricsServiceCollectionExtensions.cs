using Dashboard.Configuration;
using Dashboard.Graph;
using Dashboard.Services;

namespace Dashboard.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// The Prometheus client, the query cache shared by every viewer, the metrics service and the table service.
    /// Viewers refresh together on the clock's multiples of the refresh interval (<see cref="RefreshLoop"/>); an
    /// answer lives half an interval, long enough for all of them to share one round of queries, short enough that
    /// the next tick never finds the last tick's answer.
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
        services.AddSingleton(sp => new QueryCache(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DashboardSettings>().RefreshInterval / 2));
        services.AddSingleton<RecordingRules>();
        services.AddSingleton<MetricsService>();
        services.AddSingleton<StatTableService>();
        services.AddSingleton<IGraphService, GraphService>();
        services.AddScoped<PageVisibility>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitVisibility>();
        return services;
    }
}
