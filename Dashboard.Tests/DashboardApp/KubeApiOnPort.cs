using System.Net;
using System.Net.Sockets;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.DashboardApp;

/// <summary>
/// The in-memory Kubernetes API on a chosen port, so that it can be absent, then appear, or stop and
/// come back at the address a client already uses; with an optional hook in front of every request.
/// (<c>KubeApiHost</c> serves the ordinary cases on a fresh port.)
/// </summary>
internal sealed class KubeApiOnPort : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KubeApiOnPort(WebApplication app) => _app = app;

    public static string UrlOf(int port) => $"http://127.0.0.1:{port}";

    public static async Task<KubeApiOnPort> StartAsync(KubeStore store, int port, Func<HttpContext, Func<Task>, Task>? hook = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(UrlOf(port));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var server = new KubernetesApiServer(store);
        if (hook is not null)
        {
            app.Use((context, next) => hook(context, next));
        }

        app.Run(server.HandleAsync);
        await app.StartAsync(TestTimeouts.Token).Within();
        return new KubeApiOnPort(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).Within();
        await _app.DisposeAsync();
    }
}
