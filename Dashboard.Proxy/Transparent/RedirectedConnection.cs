using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Dashboard.Proxy.Transparent;

/// <summary>
/// A connection feature: the connection was redirected to a listener by a NAT rule (the init container's), and was
/// addressed to <see cref="OriginalDestination"/>. Absent on a connection made to the listener itself (the explicit mode).
/// </summary>
internal sealed class RedirectedConnection
{
    private RedirectedConnection(IPEndPoint originalDestination)
    {
        OriginalDestination = originalDestination;
        Address = originalDestination.ToString();
        LocalApp = "127.0.0.1:" + originalDestination.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        LocalAppPrefix = "http://" + LocalApp;
    }

    public IPEndPoint OriginalDestination { get; }

    /// <summary><see cref="OriginalDestination"/> as <c>ip:port</c>.</summary>
    public string Address { get; }

    /// <summary>The app of this pod at the port the connection was addressed to: where inbound forwards it.</summary>
    public string LocalApp { get; }

    /// <summary><c>http://</c> and <see cref="LocalApp"/>, the forwarding prefix.</summary>
    public string LocalAppPrefix { get; }

    /// <summary>
    /// Reads the original destination of an accepted connection: a feature when it differs from the listener's own
    /// address, null when the connection was not redirected (or netfilter does not track it, or the transport has no socket).
    /// </summary>
    public static RedirectedConnection? Detect(ConnectionContext connection)
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket ||
            Transparent.OriginalDestination.Get(socket) is not { } original ||
            original.Equals(connection.LocalEndPoint))
        {
            return null;
        }

        return new RedirectedConnection(original);
    }
}
