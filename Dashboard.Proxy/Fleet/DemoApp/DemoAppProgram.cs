using System.Net;
using Dashboard.Proxy.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Dashboard.Proxy.Fleet.DemoApp;

/// <summary><c>Dashboard.Proxy demo-app --listen IP:PORT</c>: the application of the fleet's pod image, to put behind a proxy.</summary>
public static class DemoAppProgram
{
    /// <param name="usage">The executable's usage, shown with a bad command line.</param>
    public static async Task<int> RunAsync(string[] args, string usage)
    {
        var listen = args.Length == 2 && args[0] == "--listen" ? args[1] : null;
        if (listen is null || !IPEndPoint.TryParse(listen, out var endPoint) || endPoint.Port == 0)
        {
            await Console.Error.WriteLineAsync($"demo-app needs --listen IP:PORT, e.g. --listen 127.0.0.1:8080\n\n{usage}");
            return ProxyExitCodes.BadConfiguration;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(endPoint, l => l.Protocols = HttpProtocols.Http1));
        await using var app = builder.Build();
        app.Run(DemoAppHandler.HandleAsync);
        try
        {
            await app.StartAsync();
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"demo-app cannot listen on {endPoint}: {ex.Message}");
            return ProxyExitCodes.StartFailed;
        }

        Console.WriteLine($"demo app listening on http://{endPoint}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
