using System.Net;
using Dashboard.Proxy.Fleet;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Infrastructure;

/// <summary>
/// Starts a fleet in this process, its log going to the test's or the fixture's (<see cref="TestLog"/>), never the console;
/// its destination service on a free port, whatever the options say.
/// </summary>
public static class TestFleet
{
    public static async Task<FleetHost> StartAsync(FleetOptions options)
    {
        var fleet = await FleetHost.StartAsync(options with { DestinationListen = new IPEndPoint(IPAddress.Loopback, 0) }, TestTimeouts.Token).Within(TestTimeouts.Slow);
        // The fleet builds its own host; its console logger is silent in tests (TestLog.QuietConsole), so the test's
        // log joins its providers here, once it runs (its start-up lines are not kept: a failed start throws).
        fleet.Host.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(TestLog.For("fleet").LoggerProvider);
        return fleet;
    }
}
