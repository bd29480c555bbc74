using System.Net;
using System.Net.Sockets;
using Dashboard.Proxy.Transparent;

namespace Dashboard.Tests.Netns;

/// <summary>What a <see cref="NetnsListener"/> saw of one connection: both ends, and where it was addressed before any redirect.</summary>
internal sealed record Arrival(string Listener, IPEndPoint Local, IPEndPoint Remote, IPEndPoint? OriginalDestination);

/// <summary>
/// A TCP listener in a pod's network namespace standing in for an app or a proxy port: it answers every connection with
/// its name (one line) and records each <see cref="Arrival"/> before answering, so a client that has its answer finds
/// its arrival recorded.
/// </summary>
internal sealed class NetnsListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly List<Arrival> _arrivals = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private NetnsListener(string name, Socket socket)
    {
        Name = name;
        _socket = socket;
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    public static NetnsListener Start(string netns, string name, IPEndPoint endPoint)
    {
        var socket = NetnsSocket.Create(netns);
        try
        {
            socket.Bind(endPoint);
            socket.Listen();
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new NetnsListener(name, socket);
    }

    /// <summary>The connection this listener accepted from <paramref name="remote"/> (the client's local endpoint).</summary>
    public Arrival ArrivalFrom(IPEndPoint remote)
    {
        lock (_arrivals)
        {
            return _arrivals.SingleOrDefault(a => a.Remote.Equals(remote))
                ?? throw new InvalidOperationException($"{Name} accepted no connection from {remote}; it accepted {string.Join(", ", _arrivals.Select(a => a.Remote))}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _accepting.WaitAsync(TestTimeouts.Default, CancellationToken.None);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            using (client)
            {
                lock (_arrivals)
                {
                    _arrivals.Add(new Arrival(Name, (IPEndPoint)client.LocalEndPoint!, (IPEndPoint)client.RemoteEndPoint!, OriginalDestination.Get(client)));
                }

                try
                {
                    await client.SendAsync(System.Text.Encoding.ASCII.GetBytes(Name + "\n"), _stop.Token);
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException)
                {
                    // The client went away first: its arrival is recorded all the same.
                }
            }
        }
    }
}
