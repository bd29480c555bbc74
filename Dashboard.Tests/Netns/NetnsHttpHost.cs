using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Netns;

/// <summary>
/// A Kestrel host of this test process listening inside a network namespace (a pod's app, or an API the pods call):
/// its listening sockets are made in the namespace (<see cref="NetnsSocket"/>) and handed to Kestrel by descriptor.
/// </summary>
internal sealed class NetnsHttpHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NetnsHttpHost(WebApplication app) => _app = app;

    public static async Task<NetnsHttpHost> StartAsync(string netns, IEnumerable<IPEndPoint> endPoints, RequestDelegate handler)
    {
        var sockets = new List<Socket>();
        try
        {
            foreach (var endPoint in endPoints)
            {
                var socket = NetnsSocket.Create(netns);
                sockets.Add(socket);
                socket.Bind(endPoint);
                socket.Listen();
            }

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                foreach (var socket in sockets)
                {
                    kestrel.ListenHandle((ulong)socket.Handle);
                }
            });
            var app = builder.Build();
            app.Run(handler);
            await app.StartAsync(TestTimeouts.Token).Within();
            // Kestrel owns the descriptors now: the sockets that made them must not close them too.
            foreach (var socket in sockets)
            {
                socket.SafeHandle.SetHandleAsInvalid();
            }

            return new NetnsHttpHost(app);
        }
        catch
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
