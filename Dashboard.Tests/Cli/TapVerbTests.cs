using System.Text.Json;
using Dashboard.Cli;

namespace Dashboard.Tests.Cli;

/// <summary>
/// <c>tap</c> against the real fleet: real proxies and tap streams, targets from the fleet's Kubernetes API. The
/// lines are golden with what varies masked (ids, source ports, latencies, sizes); the rest is exact.
/// </summary>
[Collection(TapCliFleetCollection.Name)]
public sealed class TapVerbTests(TapCliFleetFixture fleet)
{
    [Fact]
    public async Task Tap_of_test_1_prints_the_seeds_req_rsp_end_lines_of_its_calls_to_ml_and_of_its_callers()
    {
        // ml fails some of its calls (the manifest's error rate) and test-1 passes the 500 on to its caller: the golden
        // lines are those of a success on each side, whichever request came first.
        var run = await fleet.RunUntilAsync(o => new TapLinesParsed(o) is var tap
            && tap.Complete.Any(r => IsToMl(r) && IsOk(r))
            && tap.Complete.Any(r => IsInbound(r) && IsOk(r)), "tap", "deploy/test-1");

        // Ended as by Ctrl-C: cleanly, nothing on standard error.
        Assert.Equal((ExitCodes.Success, ""), (run.ExitCode, run.Error));
        var tap = new TapLinesParsed(run.Out);
        Assert.All(tap.Lines, TapLinesParsed.AssertStructure);
        var toMl = tap.Complete.First(r => IsToMl(r) && IsOk(r));
        Assert.Equal("""
            req id=ID proxy=out src=ADDR dst=ML tls=true :method=POST :authority=ml.default :path=/v1/test-1
            rsp id=ID proxy=out src=ADDR dst=ML tls=true :status=200 latency=Nµs
            end id=ID proxy=out src=ADDR dst=ML tls=true duration=Nµs response-length=NB
            """, TapLinesParsed.Masked(toMl, fleet.Addresses("ml"), "ML"));
        var fromTest2 = tap.Complete.First(r => IsInbound(r) && IsOk(r));
        Assert.Equal("""
            req id=ID proxy=in  src=ADDR dst=TEST1 tls=true :method=POST :authority=test-1.default :path=/v1/test-2
            rsp id=ID proxy=in  src=ADDR dst=TEST1 tls=true :status=200 latency=Nµs
            end id=ID proxy=in  src=ADDR dst=TEST1 tls=true duration=Nµs response-length=NB
            """, TapLinesParsed.Masked(fromTest2, fleet.Addresses("test-1"), "TEST1"));
    }

    [Fact]
    public async Task To_narrows_the_stream_to_requests_to_ml()
    {
        var run = await fleet.RunUntilAsync(o => new TapLinesParsed(o).Requests.Count() >= 5, "tap", "deploy/test-1", "--to", "deploy/ml");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var tap = new TapLinesParsed(run.Out);
        Assert.All(tap.Lines, line => Assert.Contains(fleet.Addresses("ml"), ml => line.Contains($" dst={ml} ", StringComparison.Ordinal)));
        Assert.All(tap.Requests, r => Assert.EndsWith(" :method=POST :authority=ml.default :path=/v1/test-1", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Path_narrows_the_stream_to_the_prefix_and_type_name_may_be_two_words()
    {
        var run = await fleet.RunUntilAsync(o => new TapLinesParsed(o).Requests.Count() >= 3, "tap", "deploy", "test-1", "--path", "/v1/test-2", "--method", "post");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var tap = new TapLinesParsed(run.Out);
        Assert.All(tap.Requests, r => Assert.Matches(@"^req id=\S+ proxy=in  .* :method=POST :authority=test-1\.default :path=/v1/test-2$", r));
    }

    [Fact]
    public async Task A_method_nobody_uses_prints_nothing_until_the_duration_ends()
    {
        var run = await fleet.RunAsync("tap", "deploy/test-1", "--method", "DELETE", "--duration", "2s");

        Assert.Equal((ExitCodes.Success, "", ""), (run.ExitCode, run.Out, run.Error));
    }

    [Fact]
    public async Task Wide_adds_the_resources_and_namespaces_of_both_ends()
    {
        var run = await fleet.RunUntilAsync(o => new TapLinesParsed(o).Complete.Any(IsToMl), "tap", "deploy/test-1", "-o", "wide");

        var line = new TapLinesParsed(run.Out).Complete.First(IsToMl)[2];
        Assert.Matches(@" response-length=\d+B src_res=deploy/test-1 src_ns=default dst_res=deploy/ml dst_ns=default$", line);
        var inbound = new TapLinesParsed(run.Out).Lines.FirstOrDefault(l => l.Contains("proxy=in ", StringComparison.Ordinal));
        Assert.True(inbound is null || inbound.EndsWith(" dst_res=deploy/test-1 dst_ns=default", StringComparison.Ordinal), inbound);
    }

    [Fact]
    public async Task Json_prints_one_parsable_event_per_line_with_the_tapped_pod_and_the_resources()
    {
        var run = await fleet.RunUntilAsync(o => o.Split('\n').Length > 10, "tap", "deploy/test-1", "--to", "deploy/ml", "-o", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var events = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var pod = "default/" + fleet.PodNames("test-1").Single();
        Assert.All(events, e =>
        {
            Assert.Equal(pod, e.GetProperty("tappedPod").GetString());
            Assert.Contains(e.GetProperty("kind").GetString(), new[] { "requestInit", "responseInit", "responseEnd" });
            Assert.Equal("outbound", e.GetProperty("direction").GetString());
            Assert.Equal(("deploy/test-1", "deploy/ml"), (e.GetProperty("sourceResource").GetString(), e.GetProperty("destinationResource").GetString()));
        });
        var request = events.First(e => e.GetProperty("kind").GetString() == "requestInit");
        Assert.Equal(("POST", "ml.default", "/v1/test-1"), (request.GetProperty("method").GetString(), request.GetProperty("authority").GetString(), request.GetProperty("path").GetString()));
        Assert.Contains(request.GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "host");
    }

    private static bool IsToMl(List<string> request) => request[0].Contains(":authority=ml.default", StringComparison.Ordinal);

    private static bool IsInbound(List<string> request) => request[0].Contains("proxy=in ", StringComparison.Ordinal);

    private static bool IsOk(List<string> request) => request[1].Contains(":status=200 ", StringComparison.Ordinal);
}
