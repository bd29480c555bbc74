using System.Net.Sockets;

namespace Dashboard.Proxy.Metrics;

/// <summary>The errno label of tcp_close_total, in the POSIX spelling Linkerd uses.</summary>
internal static class Errno
{
    public static string Name(SocketError error) => error switch
    {
        SocketError.ConnectionReset => "ECONNRESET",
        SocketError.ConnectionAborted => "ECONNABORTED",
        SocketError.ConnectionRefused => "ECONNREFUSED",
        SocketError.TimedOut => "ETIMEDOUT",
        SocketError.Shutdown or SocketError.NotConnected => "EPIPE",
        SocketError.HostUnreachable => "EHOSTUNREACH",
        SocketError.NetworkUnreachable => "ENETUNREACH",
        _ => error.ToString().ToUpperInvariant(),
    };
}
