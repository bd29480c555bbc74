using Dashboard.Configuration;
using Dashboard.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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
    private readonly WebApplication _app;

    private SecurityHost(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
        Client = new HttpClient { BaseAddress = url, Timeout = TestTimeouts.Default };
    }

    public Uri Url { get; }

    public HttpClient Client { get; }

    public static async Task<SecurityHost> StartAsync(Dictionary<string, string?>? configuration = null, Action<DashboardSecurityOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(configuration ?? []);
        builder.Services.AddSingleton(DashboardEnvironment.Local);
        builder.Services.AddDashboardOptions(builder.Configuration);
        builder.Services.AddDashboardSecurity(configure);
        var app = builder.Build();
        app.UseDashboardSecurity();
        app.UseExceptionHandler(error => error.Run(context => context.Response.WriteAsync("failed")));
        app.MapGet("/", () => "ok");
        app.MapGet("/boom", (Func<string>)(() => throw new InvalidOperationException("boom")));
        app.MapPost("/_blazor/negotiate", () => "negotiated");
        app.MapGet("/_blazor", () => "circuit");
        await app.StartAsync(TestTimeouts.Token).Within();
        return new SecurityHost(app, new Uri(app.Urls.Single()));
    }

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
        await _app.StopAsync(CancellationToken.None).Within();
        await _app.DisposeAsync();
    }
}
