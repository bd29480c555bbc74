using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Dashboard.Proxy.Transparent;

/// <summary>
/// Where a connection was addressed before a NAT rule (the init container's REDIRECT) sent it to the proxy: netfilter
/// keeps the original destination in the connection's conntrack entry, and <c>getsockopt(SOL_IP, SO_ORIGINAL_DST)</c>
/// on the accepted socket reads it as a <c>struct sockaddr_in</c> (linux/netfilter_ipv4.h). IPv4 only, as the rules are.
/// </summary>
public static class OriginalDestination
{
    private const int SolIp = 0; // IPPROTO_IP
    private const int SoOriginalDst = 80; // linux/netfilter_ipv4.h
    private const int AfInet = 2;

    /// <summary>
    /// The original destination of an accepted IPv4 TCP socket: the app's address and port for a redirected connection,
    /// the socket's own local endpoint for one that was not; null where netfilter does not track it (no conntrack entry),
    /// off Linux, or for an IPv6 socket.
    /// </summary>
    public static IPEndPoint? Get(Socket socket)
    {
        if (!OperatingSystem.IsLinux() || socket.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }

        // struct sockaddr_in: sa_family_t (host order), in_port_t (network order), struct in_addr, 8 bytes of padding.
        Span<byte> address = stackalloc byte[16];
        try
        {
            if (socket.GetRawSocketOption(SolIp, SoOriginalDst, address) < 8 || MemoryMarshal.Read<ushort>(address) != AfInet)
            {
                return null;
            }
        }
        catch (SocketException)
        {
            return null; // ENOENT: no conntrack entry for this connection
        }

        return new IPEndPoint(new IPAddress(address.Slice(4, 4)), (address[2] << 8) | address[3]);
    }
}
