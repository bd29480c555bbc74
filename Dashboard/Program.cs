using Dashboard.Components;
using Dashboard.Configuration;
using Dashboard.Export;
using Dashboard.Grafana;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Security;
using Dashboard.Tap;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDashboardOptions(builder.Configuration);
builder.Services.AddDashboardSecurity();
builder.Services.AddKubernetesInventory();
builder.Services.AddDashboardMetrics();
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
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
