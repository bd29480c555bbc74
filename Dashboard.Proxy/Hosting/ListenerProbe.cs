using System.Net;
using System.Net.Sockets;

namespace Dashboard.Proxy.Hosting;

/// <summary>
/// Tries an address before Kestrel does: Kestrel logs a bind failure with a stack trace, while the proxy and the
/// fleet want one clear line (and the fleet wants to mark just that pod not ready).
/// </summary>
public static class ListenerProbe
{
    /// <summary>Why <paramref name="endPoint"/> cannot be listened on, or null when it can.</summary>
    public static string? CannotBind(IPEndPoint endPoint)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // As Kestrel does, so a port left in TIME_WAIT by a previous run is not mistaken for one in use.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(endPoint);
            return null;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode == SocketError.AddressAlreadyInUse ? "address already in use" : ex.Message;
        }
    }
}
