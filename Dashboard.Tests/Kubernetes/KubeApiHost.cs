using Dashboard.Proxy.Kubernetes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Kubernetes;

/// <summary>A real Kestrel host on 127.0.0.1:0 serving <see cref="KubernetesApiServer"/> over a store.</summary>
internal sealed class KubeApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KubeApiHost(WebApplication app, KubeStore store, string url)
    {
        _app = app;
        Store = store;
        Url = url;
    }

    public KubeStore Store { get; }

    /// <summary>The bound address, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; }

    public static async Task<KubeApiHost> StartAsync(KubeStore store)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var server = new KubernetesApiServer(store, logger: app.Services.GetRequiredService<ILogger<KubernetesApiServer>>());
        app.Run(server.HandleAsync);
        await app.StartAsync(TestTimeouts.Token).Within();
        return new KubeApiHost(app, store, app.Urls.Single());
    }

    public IKubernetes CreateClient() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Url });

    public HttpClient CreateHttpClient() => new() { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).Within();
        await _app.DisposeAsync();
    }
}
