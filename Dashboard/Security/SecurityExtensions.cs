namespace Dashboard.Security;

public static class SecurityExtensions
{
    /// <summary>
    /// Registers the security middleware's options. The allowed hosts come from
    /// <c>Dashboard:AllowedHosts</c>, so <c>AddDashboardOptions</c> must be registered too.
    /// </summary>
    public static IServiceCollection AddDashboardSecurity(this IServiceCollection services, Action<DashboardSecurityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DashboardSecurityOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }

    /// <summary>
    /// Security headers on every response, then the allowed-hosts check, then the Blazor origin
    /// check. Call it first, so that nothing answers a request these would refuse.
    /// </summary>
    public static IApplicationBuilder UseDashboardSecurity(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<SecurityHeadersMiddleware>()
            .UseMiddleware<AllowedHostsMiddleware>()
            .UseMiddleware<BlazorOriginMiddleware>();
    }
}
