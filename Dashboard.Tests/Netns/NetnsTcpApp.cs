using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dashboard.Tests.Netns;

/// <summary>
/// An app that speaks plain TCP, not HTTP, in a pod's network namespace: an echo server (the client speaks first; each
/// byte is sent back, and the end of the client's stream ends the answer), or a server that speaks first, as SMTP does
/// (a banner line on connect, then one reply line per line received). Without a namespace, on loopback.
/// </summary>
internal sealed class NetnsTcpApp : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly bool _echo;
    private readonly string _name;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private NetnsTcpApp(Socket socket, bool echo, string name)
    {
        _socket = socket;
        _echo = echo;
        _name = name;
        _accepting = AcceptAsync();
    }

    /// <summary>Where it listens.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static string Banner(string name) => $"220 {name} ready\n";

    public static string Reply(string line) => $"250 {line}\n";

    /// <param name="netns">The pod's network namespace; null for 127.0.0.1 (and <paramref name="port"/> 0 for any free port).</param>
    public static NetnsTcpApp Echo(string? netns, int port) => Start(netns, port, echo: true, "echo");

    /// <summary>A server that speaks first: <see cref="Banner"/> on connect, then <see cref="Reply"/> to each line.</summary>
    public static NetnsTcpApp SpeaksFirst(string? netns, int port, string name) => Start(netns, port, echo: false, name);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _accepting.WaitAsync(TestTimeouts.Default, CancellationToken.None);
        _stop.Dispose();
    }

    private static NetnsTcpApp Start(string? netns, int port, bool echo, string name)
    {
        var socket = netns is null ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) : NetnsSocket.Create(netns);
        try
        {
            socket.Bind(new IPEndPoint(netns is null ? IPAddress.Loopback : IPAddress.Any, port));
            socket.Listen();
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new NetnsTcpApp(socket, echo, name);
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _socket.AcceptAsync(_stop.Token);
                connections.Add(ServeAsync(client));
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        try
        {
            await using var stream = new NetworkStream(client);
            if (_echo)
            {
                await stream.CopyToAsync(stream, _stop.Token);
            }
            else
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(Banner(_name)), _stop.Token);
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(Reply(line)), _stop.Token);
                }
            }

            // The client ended its stream: so does the answer (a half-close the proxies pass on).
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // The client went away, or the app is stopping.
        }
    }
}
