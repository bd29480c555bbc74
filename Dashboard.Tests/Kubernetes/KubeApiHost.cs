using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Kubernetes;

/// <summary>A real Kestrel host on 127.0.0.1:0 serving <see cref="KubernetesApiServer"/> over a store.</summary>
internal sealed class KubeApiHost : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private KubeApiHost(LoopbackHost host, KubeStore store)
    {
        _host = host;
        Store = store;
    }

    public KubeStore Store { get; }

    /// <summary>The bound address, e.g. http://127.0.0.1:41234.</summary>
    public string Url => _host.Url.ToString().TrimEnd('/');

    public static async Task<KubeApiHost> StartAsync(KubeStore store, KubeTokenFile? tokens = null) =>
        new(await LoopbackHost.StartAsync("kubernetes api",
            app => app.Run(new KubernetesApiServer(store, logger: app.Services.GetRequiredService<ILogger<KubernetesApiServer>>()) { Tokens = tokens ?? KubeTokenFile.Empty }.HandleAsync)), store);

    public IKubernetes CreateClient() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Url });

    public HttpClient CreateHttpClient() => new() { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10) };

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
