using System.Net;
using System.Net.Sockets;
using Dashboard.Contracts.Proxy;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Proxy;

/// <summary>The proxy executable: start-up errors, port clashes and graceful shutdown on SIGTERM.</summary>
public sealed class ProxyProcessTests
{
    private static Dictionary<string, string> Ports(string app) => new()
    {
        [ProxyEnvironment.InboundListenAddr] = $"127.0.0.1:{TestPorts.Free()}",
        [ProxyEnvironment.OutboundListenAddr] = $"127.0.0.1:{TestPorts.Free()}",
        [ProxyEnvironment.AdminListenAddr] = $"127.0.0.1:{TestPorts.Free()}",
        [ProxyEnvironment.TapListenAddr] = $"127.0.0.1:{TestPorts.Free()}",
        [ProxyEnvironment.AppAddr] = app,
    };

    [Fact]
    public async Task Sigterm_finishes_in_flight_requests_then_exits_zero()
    {
        const int InFlight = 5;
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await Upstream.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref arrived) == InFlight)
            {
                allArrived.SetResult();
            }

            await release.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("done");
        });
        var env = Ports(app.Address);
        await using var proxy = ProxyProcess.Start(env);
        await proxy.Started.Within();
        var inbound = new Uri($"http://{env[ProxyEnvironment.InboundListenAddr]}");
        using var client = new HttpClient { BaseAddress = inbound, Timeout = TestTimeouts.Default };

        var requests = Enumerable.Range(0, InFlight).Select(i => client.GetAsync($"/work/{i}", TestTimeouts.Token)).ToList();
        await allArrived.Task.Within();
        proxy.Terminate();

        // Shutdown has begun: the listener stops accepting new connections...
        await TestTimeouts.Eventually(async () =>
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(inbound.Host, inbound.Port, TestTimeouts.Token);
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }, "the inbound listener to close");

        // ...while the requests already inside are finished, not dropped.
        release.SetResult();
        foreach (var request in requests)
        {
            using var response = await request.Within();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("done", await response.Content.ReadAsStringAsync(TestTimeouts.Token));
        }

        Assert.Equal(0, await proxy.WaitForExitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task Bad_configuration_exits_non_zero_naming_the_variable()
    {
        var env = Ports("127.0.0.1:8080");
        env[ProxyEnvironment.InboundListenAddr] = "localhost";
        await using var proxy = ProxyProcess.Start(env);

        Assert.Equal(2, await proxy.WaitForExitAsync(TestTimeouts.Default));
        Assert.Contains("MESH_PROXY_INBOUND_LISTEN_ADDR: 'localhost' is not an address; expected IP:PORT", proxy.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_reported_with_its_variable()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var env = Ports("127.0.0.1:8080");
        env[ProxyEnvironment.AdminListenAddr] = occupied.LocalEndpoint.ToString()!;
        await using var proxy = ProxyProcess.Start(env);

        Assert.Equal(1, await proxy.WaitForExitAsync(TestTimeouts.Default));
        Assert.Contains($"cannot start the proxy: MESH_PROXY_ADMIN_LISTEN_ADDR={occupied.LocalEndpoint}", proxy.Output, StringComparison.Ordinal);
        Assert.Contains("address already in use", proxy.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", proxy.Output, StringComparison.Ordinal);
    }
}
