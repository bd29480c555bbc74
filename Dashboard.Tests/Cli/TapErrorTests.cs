using Dashboard.Cli;

namespace Dashboard.Tests.Cli;

/// <summary>
/// What <c>tap</c> and <c>top</c> say when they cannot tap: exit 1 for what the cluster or the proxies answer,
/// exit 2 for the command line itself, always with the reason on standard error and nothing on standard output.
/// </summary>
[Collection(TapCliFleetCollection.Name)]
public sealed class TapErrorTests(TapCliFleetFixture fleet)
{
    [Theory]
    [InlineData("tap")]
    [InlineData("top")]
    public async Task An_unknown_deployment_is_named_and_exits_1(string verb)
    {
        var run = await fleet.RunAsync(verb, "deploy/nope");

        Assert.Equal((ExitCodes.Failure, "", "error: deployment nope does not exist in namespace default\n"), (run.ExitCode, run.Out, run.Error));
    }

    [Fact]
    public async Task A_deployment_without_a_proxy_has_nothing_to_tap()
    {
        var run = await fleet.RunAsync("tap", "deploy/legacy");

        Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
        Assert.Matches(@"^error: deploy/legacy in namespace default has no meshed running pod to tap \(1 pods: legacy-\S+ is not meshed: it has no proxy to tap\)\n$", run.Error);
    }

    [Fact]
    public async Task A_token_the_proxies_refuse_is_named_and_exits_1()
    {
        var wrong = Path.Combine(Path.GetDirectoryName(fleet.TokenFile)!, "wrong-token");
        await File.WriteAllTextAsync(wrong, "not-the-token", TestTimeouts.Token);

        var run = await CliRun.RunAsync("tap", "deploy/test-1", "--direct", "--server", fleet.Fleet.ApiUrl.ToString(), "--tap-token-file", wrong);

        Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
        var pod = fleet.PodNames("test-1").Single();
        Assert.Equal($"error: tap of deploy/test-1 refused: default/{pod}: the proxy refused the tap credential (401): the token in {wrong} differs from the proxy's MESH_PROXY_TAP_TOKEN\n", run.Error);
    }

    [Fact]
    public async Task Without_a_token_tap_says_where_to_put_one()
    {
        Assert.Null(Environment.GetEnvironmentVariable("DASHBOARD_TAP_TOKEN"));

        var run = await CliRun.RunAsync("tap", "deploy/test-1", "--direct", "--server", fleet.Fleet.ApiUrl.ToString());

        Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
        Assert.Equal("error: tap needs the proxies' tap token (MESH_PROXY_TAP_TOKEN): set DASHBOARD_TAP_TOKEN or pass --tap-token-file FILE (./run.sh writes it to .run/tap-token)\n", run.Error);
    }

    [Fact]
    public async Task An_unreachable_proxy_fails_the_tap_after_the_timeout_with_its_address()
    {
        var pod = fleet.PodNames(TapCliFleetFixture.Crashy).Single();
        await fleet.Fleet.KillProxyAsync("default", pod);
        try
        {
            var run = await fleet.RunAsync("tap", "deploy/crashy", "--timeout", "2s");

            Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
            var tap = fleet.Fleet.Topology.Pod("default", pod)!.Tap;
            Assert.Equal($"error: no proxy of deploy/crashy accepted the tap within --timeout 2s: default/{pod}: cannot connect to {tap}: connection refused\n", run.Error);
        }
        finally
        {
            await fleet.Fleet.RestartProxyAsync("default", pod, TestTimeouts.Token);
        }
    }

    [Theory]
    [InlineData(new[] { "tap" }, "Required argument 'TYPE/NAME' missing")]
    [InlineData(new[] { "tap", "test-1" }, "'test-1' is not a resource: expected TYPE/NAME or TYPE NAME")]
    [InlineData(new[] { "top", "test-1" }, "'test-1' is not a resource: expected TYPE/NAME or TYPE NAME")]
    [InlineData(new[] { "tap", "deploy/a", "b" }, "give either TYPE/NAME or TYPE NAME, not both")]
    [InlineData(new[] { "tap", "svc/web" }, "TYPE/NAME: 'svc/web' is not a resource; expected kind/name such as deploy/web")]
    [InlineData(new[] { "tap", "deploy/web", "--to", "web" }, "--to: 'web' is not a resource")]
    [InlineData(new[] { "tap", "deploy/web", "--to-namespace", "shop" }, "--to-namespace 'shop' needs --to")]
    [InlineData(new[] { "tap", "deploy/web", "--path", "api" }, "--path: 'api' is not a path prefix")]
    [InlineData(new[] { "tap", "deploy/web", "--scheme", "ftp" }, "--scheme: 'ftp' is not http or https")]
    [InlineData(new[] { "tap", "deploy/web", "--max-rps", "0" }, "--max-rps: '0' is not a number of requests per second above 0")]
    [InlineData(new[] { "tap", "deploy/web", "--duration", "soon" }, "--duration 'soon' is not a duration")]
    [InlineData(new[] { "tap", "ns/shop", "-n", "default" }, "TYPE/NAME: 'ns/shop' names namespace shop but namespace is default")]
    [InlineData(new[] { "top", "deploy/web", "-n", "Bad_Name" }, "--namespace: 'Bad_Name' is not a namespace name")]
    public async Task Bad_usage_exits_2_with_the_reason_on_stderr(string[] args, string reason)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal((ExitCodes.Usage, ""), (run.ExitCode, run.Out));
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(reason, run.Error, StringComparison.Ordinal);
    }
}
