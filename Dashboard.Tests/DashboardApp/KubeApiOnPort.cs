using Dashboard.Proxy.Fleet.KubernetesApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.DashboardApp;

/// <summary>
/// The in-memory Kubernetes API on a chosen port, so that it can be absent, then appear, or stop and
/// come back at the address a client already uses; with an optional hook in front of every request.
/// (<c>KubeApiHost</c> serves the ordinary cases on a fresh port.)
/// </summary>
internal sealed class KubeApiOnPort : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private KubeApiOnPort(LoopbackHost host) => _host = host;

    public static string UrlOf(int port) => $"http://127.0.0.1:{port}";

    public static async Task<KubeApiOnPort> StartAsync(KubeStore store, int port, Func<HttpContext, Func<Task>, Task>? hook = null) =>
        new(await LoopbackHost.StartAsync("kubernetes api", app =>
        {
            if (hook is not null)
            {
                app.Use((context, next) => hook(context, next));
            }

            app.Run(new KubernetesApiServer(store).HandleAsync);
        }, port: port));

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
