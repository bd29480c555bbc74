using System.CommandLine;
using Dashboard.Cli;
using Dashboard.Cli.Tap;
using Dashboard.Cli.Top;
using Dashboard.Contracts.Tap;
using Dashboard.Model;
using Dashboard.Tap;
using Dashboard.Tests.Tap;

namespace Dashboard.Tests.Cli;

/// <summary>The lines of <c>tap</c>, the table of <c>top</c> and their command line, on plain values.</summary>
public sealed class TapFormatTests
{
    private static readonly TapEvent Request = new()
    {
        Kind = TapEventKind.RequestInit,
        Id = new TapId { Base = 0, Stream = 10115 },
        Direction = "outbound",
        Source = "10.20.5.3:55696",
        Destination = "10.20.3.18:5000",
        Tls = "no_identity",
        Method = "POST",
        Authority = "ml:5000",
        Path = "/v1/test-1",
    };

    [Fact]
    public void The_three_events_of_a_request_print_as_the_seeds_lines()
    {
        var response = Request with { Kind = TapEventKind.ResponseInit, Status = 200, SinceRequestInitMicros = 4180 };
        var end = Request with { Kind = TapEventKind.ResponseEnd, SinceResponseInitMicros = 130, ResponseBytes = 15 };

        Assert.Equal(
            [
                "req id=0:10115 proxy=out src=10.20.5.3:55696 dst=10.20.3.18:5000 tls=no_identity :method=POST :authority=ml:5000 :path=/v1/test-1",
                "rsp id=0:10115 proxy=out src=10.20.5.3:55696 dst=10.20.3.18:5000 tls=no_identity :status=200 latency=4180µs",
                "end id=0:10115 proxy=out src=10.20.5.3:55696 dst=10.20.3.18:5000 tls=no_identity duration=130µs response-length=15B",
            ],
            new[] { Request, response, end }.Select(TapLines.Line));
    }

    [Fact]
    public void Inbound_lines_align_with_outbound_and_an_end_names_its_reset_or_grpc_status()
    {
        var inbound = Request with { Kind = TapEventKind.ResponseInit, Id = new TapId { Base = 0, Stream = 10114 }, Direction = "inbound", Source = "10.146.0.5:63684", Destination = "10.20.5.3:5050", Tls = "disabled", Status = 204, SinceRequestInitMicros = 6891 };
        var reset = Request with { Kind = TapEventKind.ResponseEnd, ResetError = "timeout", SinceResponseInitMicros = 0, ResponseBytes = 0 };
        var grpc = reset with { ResetError = null, GrpcStatus = 14, SinceResponseInitMicros = 12, ResponseBytes = 5 };

        Assert.Equal("rsp id=0:10114 proxy=in  src=10.146.0.5:63684 dst=10.20.5.3:5050 tls=disabled :status=204 latency=6891µs", TapLines.Line(inbound));
        Assert.Equal("end id=0:10115 proxy=out src=10.20.5.3:55696 dst=10.20.3.18:5000 tls=no_identity reset-error=timeout duration=0µs response-length=0B", TapLines.Line(reset));
        Assert.Equal("end id=0:10115 proxy=out src=10.20.5.3:55696 dst=10.20.3.18:5000 tls=no_identity grpc-status=Unavailable duration=12µs response-length=5B", TapLines.Line(grpc));
    }

    [Theory]
    [InlineData(0, "OK")]
    [InlineData(4, "DeadlineExceeded")]
    [InlineData(16, "Unauthenticated")]
    [InlineData(42, "Code(42)")]
    public void Grpc_statuses_have_grpcs_names(int code, string name) => Assert.Equal(name, TapLines.GrpcStatusName(code));

    [Fact]
    public async Task Top_prints_the_seeds_columns_with_the_dashboards_numbers()
    {
        var top = new TopAggregator();
        top.Add(TapData.Row(1, status: 200, latencyMs: 3.2, path: "/v1/test"));
        top.Add(TapData.Row(2, status: 500, latencyMs: 8, path: "/v1/test"));
        top.Add(TapData.Row(3, status: 200, latencyMs: 0.85, path: "/healthy"));
        using var output = new StringWriter { NewLine = "\n" };

        await TopTextTable.Of(top.Rows()).WriteAsync(output);

        Assert.Equal("""
            Source   Destination   Method   Path       Count    Best   Worst    Last   Success Rate
            web-1    ml-0          GET      /v1/test       2     3ms     8ms     8ms         50.00%
            web-1    ml-0          GET      /healthy       1   850µs   850µs   850µs        100.00%

            """, output.ToString());
    }

    [Fact]
    public void Wide_names_each_end_by_its_workload_or_pod_and_namespace_and_json_carries_them_too()
    {
        var lines = new TapLines(new TapPodDirectory(TapData.Snapshot()));
        var toKnown = new TappedEvent("default/web-1", TapData.Init(1) with { DestinationLabels = null, Destination = "10.1.0.4:8080" });
        var toUnknown = new TappedEvent("default/web-1", TapData.Init(2, dstPod: null));

        Assert.EndsWith(":path=/v1/items src_res=deploy/web src_ns=default dst_res=po/bare dst_ns=default", lines.Format(toKnown, OutputFormat.Wide), StringComparison.Ordinal);
        Assert.EndsWith(":path=/v1/items src_res=deploy/web src_ns=default", lines.Format(toUnknown, OutputFormat.Wide), StringComparison.Ordinal);
        var json = System.Text.Json.JsonDocument.Parse(lines.Format(toKnown, OutputFormat.Json)).RootElement;
        Assert.Equal(("default/web-1", "requestInit", "deploy/web", "po/bare"), (json.GetProperty("tappedPod").GetString(), json.GetProperty("kind").GetString(),
            json.GetProperty("sourceResource").GetString(), json.GetProperty("destinationResource").GetString()));
    }

    [Fact]
    public void The_command_the_tap_page_shows_parses_back_into_its_query()
    {
        foreach (var (query, verb) in Queries.SelectMany(q => new[] { (q, "tap"), (q, "top") }))
        {
            var words = query.ToCommandLine(verb).Split(' ');
            Assert.Equal(["dashboard", verb], words[..2]);
            var arguments = new TapArguments();
            var command = new Command(verb);
            arguments.AddTo(command);

            var parsed = arguments.ParseQuery(command.Parse(words[2..]), defaultNamespace: "elsewhere");

            Assert.Equal(query, parsed);
        }
    }

    private static readonly TapQuery[] Queries =
    [
        new TapQuery { Namespace = "default", Resource = new TapResource(WorkloadKind.Deployment, "web") },
        new TapQuery { Namespace = "shop" },
        new TapQuery
        {
            Namespace = "shop", Resource = new TapResource(WorkloadKind.Pod, "web-0"), ToNamespace = "default",
            ToResource = new TapResource(WorkloadKind.StatefulSet, "db"), Method = "GET", PathPrefix = "/api/v1",
            Authority = "db.default:5432", Scheme = "https", MaxRps = 2.5,
        },
    ];
}
