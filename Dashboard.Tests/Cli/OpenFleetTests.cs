using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Cli;

namespace Dashboard.Tests.Cli;

/// <summary>
/// <c>open</c> with the control plane in the cluster: a real port-forward through the fleet's Kubernetes API to the
/// pod behind the "dashboard" Service of the control-plane namespace, until cancelled (Ctrl-C).
/// </summary>
[Collection(CliFleetCollection.Name)]
public sealed partial class OpenFleetTests(CliFleetFixture fleet)
{
    [Fact]
    public async Task Open_forwards_a_local_port_to_the_dashboard_pod_until_ctrl_c()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(TextReader.Null, TextWriter.Synchronized(output), TextWriter.Synchronized(error), IsInteractive: false);
        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(TestTimeouts.Token);
        var open = DashboardCli.RunAsync(["open", "-L", CliFleetFixture.ControlNamespace, "--port", "0", "--no-browser", "--server", fleet.Api.ToString()], console, ctrlC.Token);

        Uri? url = null;
        await TestTimeouts.Eventually(() =>
        {
            Assert.False(open.IsCompleted, $"open ended early: {error}");
            lock (console.Out)
            {
                url = Printed().Match(output.ToString()) is { Success: true } match ? new Uri(match.Groups[1].Value) : null;
            }

            return Task.FromResult(url is not null);
        }, "open to print the forwarded URL");

        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        // Several connections at once, each its own WebSocket through the API server.
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => http.GetFromJsonAsync<JsonElement>(new Uri(url!, $"/forwarded/{i}"), TestTimeouts.Token))).Within();
        await ctrlC.CancelAsync();
        var exitCode = await open.Within();

        Assert.Equal("localhost", url!.Host);
        Assert.All(answers, a => Assert.StartsWith("dashboard-", a.GetProperty("pod").GetString(), StringComparison.Ordinal));
        Assert.Equal(["/forwarded/0", "/forwarded/1", "/forwarded/2"], answers.Select(a => a.GetProperty("path").GetString()));
        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Matches(@"^Forwarding to pod control/dashboard-\S+ port 8080; press Ctrl-C to stop\.\n$", error.ToString());
    }

    [Fact]
    public async Task A_taken_port_fails_with_exit_1()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var run = await CliRun.RunAsync("open", "-L", CliFleetFixture.ControlNamespace, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-browser", "--server", fleet.Api.ToString());

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith($"error: cannot listen on 127.0.0.1:{port} (", run.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^Dashboard available at (\S+)\n", RegexOptions.Multiline)]
    private static partial Regex Printed();
}
