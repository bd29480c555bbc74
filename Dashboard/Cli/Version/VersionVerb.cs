using System.CommandLine;
using System.Text.Json;
using Dashboard.Hosting;
using Dashboard.Metrics;

namespace Dashboard.Cli.Version;

/// <summary>
/// <c>dashboard version [--client]</c>: this CLI's version, the dashboard's (in the cluster or local) and the
/// versions of the proxies Prometheus scrapes. What cannot be reached is reported, not an error.
/// </summary>
internal sealed class VersionVerb : ICliVerb
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public Command Create(CliGlobals globals)
    {
        var clientOnly = new Option<bool>("--client") { Description = "Only this CLI's version; nothing is contacted" };
        var command = new Command("version", "Print the CLI's version and, when reachable, the dashboard's and the proxies'") { clientOnly };
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var report = parseResult.GetValue(clientOnly)
                ? new VersionReport(BuildVersion.Current, null, null, null, null)
                : await ServerAsync(context, cancellationToken).ConfigureAwait(false);
            await WriteAsync(context, report, parseResult.GetValue(clientOnly)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<VersionReport> ServerAsync(CliContext context, CancellationToken cancellationToken)
    {
        // Without a Kubernetes API (or without the control-plane namespace) the dashboard may still run locally.
        var inCluster = false;
        string? apiError = null;
        try
        {
            inCluster = await ControlPlaneLocator.IsInClusterAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandException e)
        {
            apiError = e.Message;
        }

        var (dashboard, dashboardError) = await ControlPlaneLocator.DashboardVersionAsync(context, inCluster, cancellationToken).ConfigureAwait(false);
        if (dashboard is null && apiError is not null)
        {
            dashboardError = apiError + "; " + dashboardError;
        }

        try
        {
            var proxies = (await ControlPlaneLocator.ProxyBuildsAsync(context, cancellationToken).ConfigureAwait(false))
                .GroupBy(p => p.Version, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ProxyVersion(g.Key, g.Count()))
                .ToList();
            return new VersionReport(BuildVersion.Current, dashboard, dashboardError, proxies, null);
        }
        catch (PrometheusException e)
        {
            return new VersionReport(BuildVersion.Current, dashboard, dashboardError, null, e.Message);
        }
    }

    private static async Task WriteAsync(CliContext context, VersionReport report, bool clientOnly)
    {
        var output = context.Console.Out;
        if (context.Output == OutputFormat.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(
                new { client = report.Client, dashboard = report.Dashboard, proxies = report.Proxies }, Json)).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync($"Client version: {report.Client}").ConfigureAwait(false);
            if (!clientOnly)
            {
                await output.WriteLineAsync($"Dashboard version: {report.Dashboard ?? "unavailable"}").ConfigureAwait(false);
                var proxies = report.Proxies is null ? "unavailable"
                    : report.Proxies.Count == 0 ? "none seen"
                    : string.Join(", ", report.Proxies.Select(p => $"{p.Version} ({p.Pods} {(p.Pods == 1 ? "pod" : "pods")})"));
                await output.WriteLineAsync($"Proxy versions: {proxies}").ConfigureAwait(false);
            }
        }

        foreach (var error in new[] { report.DashboardError, report.ProxiesError }.OfType<string>())
        {
            await context.Console.Error.WriteLineAsync(error).ConfigureAwait(false);
        }
    }

    private sealed record VersionReport(string Client, string? Dashboard, string? DashboardError, IReadOnlyList<ProxyVersion>? Proxies, string? ProxiesError);

    private sealed record ProxyVersion(string Version, int Pods);
}
