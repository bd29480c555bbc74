using Dashboard.Contracts.Tap;
using Dashboard.Tap;

namespace Dashboard.Tests.Tap;

/// <summary>The three events of a request become one row; what cannot be folded is bounded and counted.</summary>
public sealed class TapRowFolderTests
{
    [Fact]
    public void Three_events_fold_into_one_row_with_status_latency_and_end()
    {
        var folder = new TapRowFolder();
        var headers = new List<TapHeader> { new() { Name = "authorization", Redacted = true }, new() { Name = "accept", Value = "*/*" } };

        var init = folder.Fold(new("default/web-1", TapData.Init(7, "/v1/items?page=2", "POST", headers: headers)))!;
        Assert.Null(init.Status);
        Assert.Null(init.IsSuccess);
        var afterResponse = folder.Fold(new("default/web-1", TapData.Response(7, 503, 12.5)))!;
        var afterEnd = folder.Fold(new("default/web-1", TapData.End(7, error: "connection_refused")))!;

        Assert.Same(init, afterResponse);
        Assert.Same(init, afterEnd);
        Assert.Equal(("outbound", "web-1", "ml-0", "POST", "/v1/items?page=2", "/v1/items"),
            (init.Direction, init.SourceName, init.DestinationName, init.Method, init.Path, init.Route));
        Assert.Equal((503, 12.5, 0.15, 15L, "connection_refused"), (init.Status, init.LatencyMs, init.DurationMs, init.ResponseBytes, init.Error));
        Assert.True(init.IsComplete);
        Assert.False(init.IsSuccess);
        Assert.Same(headers, init.RequestHeaders);
        Assert.Equal(0, folder.InFlight);
    }

    [Theory]
    [InlineData(200, null, null, true)]
    [InlineData(404, null, null, true)]
    [InlineData(500, null, null, false)]
    [InlineData(200, 0, null, true)]
    [InlineData(200, 14, null, false)]
    [InlineData(200, null, "reset", false)]
    public void Success_is_linkerds_classification(int status, int? grpc, string? error, bool success)
    {
        var folder = new TapRowFolder();
        folder.Fold(new("p", TapData.Init(1)));
        folder.Fold(new("p", TapData.Response(1, status, 1)));
        var row = folder.Fold(new("p", TapData.End(1, grpcStatus: grpc, error: error)))!;

        Assert.Equal(success, row.IsSuccess);
    }

    [Fact]
    public void The_same_id_from_two_pods_is_two_requests()
    {
        var folder = new TapRowFolder();

        var a = folder.Fold(new("default/a", TapData.Init(1)))!;
        var b = folder.Fold(new("default/b", TapData.Init(1)))!;
        folder.Fold(new("default/b", TapData.Response(1, 500, 3)));

        Assert.NotSame(a, b);
        Assert.Equal((null, 500), (a.Status, b.Status));
    }

    [Fact]
    public void A_response_without_its_request_is_counted_not_shown()
    {
        var folder = new TapRowFolder();

        Assert.Null(folder.Fold(new("p", TapData.Response(9, 200, 1))));
        Assert.Null(folder.Fold(new("p", TapData.End(9))));

        Assert.Equal(2, folder.Orphans);
    }

    [Fact]
    public void Requests_in_flight_are_bounded_the_oldest_forgotten_first()
    {
        var folder = new TapRowFolder(maxInFlight: 3);
        for (var i = 1; i <= 5; i++)
        {
            folder.Fold(new("p", TapData.Init(i)));
        }

        Assert.Equal(3, folder.InFlight);
        Assert.Null(folder.Fold(new("p", TapData.Response(1, 200, 1))));
        Assert.NotNull(folder.Fold(new("p", TapData.Response(5, 200, 1))));
    }

    [Fact]
    public void A_row_stands_for_the_requests_the_budget_refused_since_the_previous_one_of_its_pod()
    {
        var folder = new TapRowFolder();

        var first = folder.Fold(new("a", TapData.Init(1, matched: 10)))!;
        var second = folder.Fold(new("a", TapData.Init(2, matched: 14)))!;
        var otherPod = folder.Fold(new("b", TapData.Init(3, matched: 2)))!;
        var third = folder.Fold(new("a", TapData.Init(4, matched: 15)))!;

        // The first row of a pod has nothing to compare with: it stands for itself.
        Assert.Equal([1L, 4, 1, 1], [first.Represents, second.Represents, otherPod.Represents, third.Represents]);
    }

    [Fact]
    public void Without_pod_labels_the_inventory_names_a_known_ip_and_the_ip_stands_otherwise()
    {
        var folder = new TapRowFolder(ip => ip == "10.1.0.9" ? "ml-7" : null);
        var inbound = TapData.Init(1, direction: "inbound", dstPod: null, source: "[fd00::1]:5000") with { SourceLabels = null };

        var row = folder.Fold(new("p", inbound))!;

        Assert.Equal(("fd00::1", "ml-7"), (row.SourceName, row.DestinationName));
    }
}
