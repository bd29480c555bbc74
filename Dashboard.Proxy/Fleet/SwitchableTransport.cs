using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// Kestrel's socket transport with listeners that can be closed and reopened while the server runs: how the fleet
/// kills one pod's proxy (its ports refuse connections and its open connections break, as when the process dies)
/// and restarts it, though all pods share one Kestrel server.
/// </summary>
internal sealed class SwitchableTransport(IConnectionListenerFactory sockets) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly ConcurrentDictionary<EndPoint, SwitchableListener> _listeners = new();

    /// <summary>Makes Kestrel bind through a <see cref="SwitchableTransport"/>, also registered as itself.</summary>
    public static void Register(IServiceCollection services)
    {
        services.RemoveAll<IConnectionListenerFactory>();
        services.AddSingleton(sp => new SwitchableTransport(ActivatorUtilities.CreateInstance<SocketTransportFactory>(sp)));
        services.AddSingleton<IConnectionListenerFactory>(sp => sp.GetRequiredService<SwitchableTransport>());
    }

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = new SwitchableListener(endpoint, await sockets.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), sockets);
        _listeners[endpoint] = listener;
        return listener;
    }

    /// <summary>Closes the listener of <paramref name="endpoint"/> and breaks its open connections.</summary>
    public Task CloseAsync(IPEndPoint endpoint) => Listener(endpoint).CloseAsync();

    public Task ReopenAsync(IPEndPoint endpoint, CancellationToken cancellationToken) => Listener(endpoint).ReopenAsync(cancellationToken);

    private SwitchableListener Listener(IPEndPoint endpoint) =>
        _listeners.TryGetValue(endpoint, out var listener) ? listener : throw new InvalidOperationException($"nothing listens on {endpoint}");
}
