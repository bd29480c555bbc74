using Dashboard.Cli;
using Dashboard.Configuration;
using Dashboard.Contracts.Durations;
using Dashboard.Kubernetes;
using Dashboard.Metrics;

namespace Dashboard.Investigation;

public static class InvestigationServiceCollectionExtensions
{
    /// <summary>
    /// The web app's <see cref="IInvestigator"/>, over the shared <see cref="MetricsService"/> (so viewers of the same
    /// investigation share its range answers), the inventory, and the thresholds of <c>Dashboard:Investigation</c>.
    /// </summary>
    public static IServiceCollection AddInvestigation(this IServiceCollection services)
    {
        services.AddSingleton<IInvestigator>(sp =>
        {
            var settings = sp.GetRequiredService<DashboardSettings>();
            return new Investigator(sp.GetRequiredService<MetricsService>(), sp.GetRequiredService<IKubernetesInventory>(),
                settings.Prometheus.ScrapeInterval, settings.Investigation, sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    /// <summary>
    /// An investigator for a CLI command, over the context's metrics and inventory (listed once, on first use).
    /// </summary>
    /// <param name="scrapeInterval">Prometheus' scrape interval; the dashboard's default when null.</param>
    /// <param name="thresholds">The thresholds; <see cref="InvestigationThresholds.Default"/> when null.</param>
    public static async Task<IInvestigator> InvestigatorAsync(
        this CliContext context, TimeSpan? scrapeInterval, InvestigationThresholds? thresholds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inventory = await context.InventoryAsync(cancellationToken).ConfigureAwait(false);
        var interval = scrapeInterval
            ?? DurationText.ParsePositive(PrometheusOptions.DefaultScrapeInterval, DurationSyntax.Configuration).Value;
        return new Investigator(context.Metrics, inventory, interval, thresholds ?? InvestigationThresholds.Default, context.Time);
    }
}
