using System.Threading.Channels;
using Dashboard.Contracts.Tap;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Infrastructure;

/// <summary>A real SignalR client of a proxy's tap hub.</summary>
public sealed class TapClient : IAsyncDisposable
{
    private readonly HubConnection _connection;

    private TapClient(HubConnection connection) => _connection = connection;

    public static async Task<TapClient> ConnectAsync(Uri hub, string? token, bool messagePack = false)
    {
        var builder = new HubConnectionBuilder().WithUrl(hub, o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            if (token is not null)
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            }
        });
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }

        var connection = builder.Build();
        await connection.StartAsync(TestTimeouts.Token).Within();
        return new TapClient(connection);
    }

    /// <summary>
    /// Starts a watch. The invocation returns once sent; passing the proxy's broker waits until the proxy has
    /// registered the subscriber, so requests sent next are seen.
    /// </summary>
    public async Task<ChannelReader<TapEvent>> WatchAsync(TapRequest request, Dashboard.Proxy.Tap.TapBroker? broker = null)
    {
        var before = broker?.SubscriberCount ?? 0;
        var reader = await _connection.StreamAsChannelAsync<TapEvent>(TapRoutes.WatchMethod, request, TestTimeouts.Token).Within();
        if (broker is not null)
        {
            await broker.WaitForSubscribersAsync(before + 1, TestTimeouts.Token).Within();
        }

        return reader;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}

public static class TapEvents
{
    public static Task<TapEvent> NextAsync(this ChannelReader<TapEvent> reader) => reader.ReadAsync(TestTimeouts.Token).Within();

    /// <summary>The next three events, which for one request are requestInit, responseInit, responseEnd.</summary>
    public static async Task<TapEvent[]> NextRequestAsync(this ChannelReader<TapEvent> reader) =>
        [await reader.NextAsync(), await reader.NextAsync(), await reader.NextAsync()];
}
