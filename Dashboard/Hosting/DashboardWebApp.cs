using Dashboard.Components;
using Dashboard.Configuration;
using Dashboard.Export;
using Dashboard.Grafana;
using Dashboard.Investigation;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Security;
using Dashboard.Tap;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace Dashboard.Hosting;

/// <summary>The web dashboard: what <c>dashboard serve</c> runs. Arguments are ASP.NET Core's (<c>--urls</c>, <c>--Dashboard:…=…</c>).</summary>
public static class DashboardWebApp
{
    /// <summary>Where the dashboard answers its version, for <c>dashboard version</c> and <c>check</c>.</summary>
    public const string VersionPath = "/api/version";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddDashboardOptions(builder.Configuration);
        builder.Services.AddDashboardSecurity();
        builder.Services.AddKubernetesInventory();
        builder.Services.AddDashboardMetrics();
        builder.Services.AddInvestigation();
        builder.Services.AddGrafanaProxy();
        builder.Services.AddTap();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();

        var app = builder.Build();
        if (app.Services.GetRequiredService<DashboardSettings>().PathBase is { Length: > 0 } pathBase)
        {
            app.UsePathBase(pathBase);
        }

        // Explicitly after the path base: WebApplication would otherwise route first, on the unstripped path.
        app.UseRouting();

        app.UseDashboardSecurity();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapGrafanaProxy();
        app.MapExportEndpoints();
        app.MapTapStream();
        app.MapGet(VersionPath, () => Results.Json(new { version = BuildVersion.Current }));
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Runs until the host stops (Ctrl-C, SIGTERM or <paramref name="cancellationToken"/>).</summary>
    public static async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var app = Build(args);
        await using (app.ConfigureAwait(false))
        {
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
