using Dashboard.Configuration;
using Dashboard.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.DashboardApp;

/// <summary>
/// A minimal app on 127.0.0.1:0 behind <c>UseDashboardSecurity</c>: "/" answers "ok", "/boom" throws
/// into an exception handler, and "/_blazor/negotiate" and "/_blazor" stand in for Blazor's endpoints.
/// </summary>
internal sealed class SecurityHost : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private SecurityHost(LoopbackHost host)
    {
        _host = host;
        Client = host.CreateClient();
    }

    public Uri Url => _host.Url;

    public HttpClient Client { get; }

    public static async Task<SecurityHost> StartAsync(Dictionary<string, string?>? configuration = null, Action<DashboardSecurityOptions>? configure = null) =>
        new(await LoopbackHost.StartAsync("dashboard security", app =>
        {
            app.UseDashboardSecurity();
            app.UseExceptionHandler(error => error.Run(context => context.Response.WriteAsync("failed")));
            app.MapGet("/", () => "ok");
            app.MapGet("/boom", (Func<string>)(() => throw new InvalidOperationException("boom")));
            app.MapPost("/_blazor/negotiate", () => "negotiated");
            app.MapGet("/_blazor", () => "circuit");
        }, builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration ?? []);
            builder.Services.AddSingleton(DashboardEnvironment.Local);
            builder.Services.AddDashboardOptions(builder.Configuration);
            builder.Services.AddDashboardSecurity(configure);
        }));

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? host = null, string? origin = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return Client.SendAsync(request, TestTimeouts.Token).Within();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
    }
}
