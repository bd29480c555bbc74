using System.Net;
using System.Net.Sockets;

namespace Dashboard.Tests.Infrastructure;

public static class TestPorts
{
    /// <summary>A loopback port free right now, for servers that must be told their port before they start.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
