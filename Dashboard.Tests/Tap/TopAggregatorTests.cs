using Dashboard.Tap;

namespace Dashboard.Tests.Tap;

/// <summary>Top: per source, destination, method and path; percentiles from samples; at most 50 rows, the stalest evicted.</summary>
public sealed class TopAggregatorTests
{
    [Fact]
    public void Rows_count_best_worst_last_and_success_per_route()
    {
        var top = new TopAggregator();
        top.Add(TapData.Row(1, 200, 8));
        top.Add(TapData.Row(2, 500, 3));
        top.Add(TapData.Row(3, 200, 5));
        top.Add(TapData.Row(4, 200, 1, "/healthy"));
        top.Add(TapData.Row(5, 200, 4, "/v1/items?page=3"));

        var rows = top.Rows();

        Assert.Equal(["/v1/items", "/healthy"], rows.Select(r => r.Path));
        var items = rows[0];
        Assert.Equal(("web-1", "ml-0", "GET"), (items.Source, items.Destination, items.Method));
        Assert.Equal((4L, 3.0, 8.0, 4.0), (items.Count, items.BestMs!.Value, items.WorstMs!.Value, items.LastMs!.Value));
        Assert.Equal(0.75, items.SuccessRate);
    }

    [Fact]
    public void Percentiles_are_nearest_rank_over_the_samples_and_say_how_many()
    {
        var top = new TopAggregator();
        for (var i = 1; i <= 20; i++)
        {
            top.Add(TapData.Row(i, latencyMs: 21 - i));
        }

        var row = Assert.Single(top.Rows());

        Assert.Equal((10.0, 19.0, 20), (row.P50Ms!.Value, row.P95Ms!.Value, row.SampleCount));
    }

    [Fact]
    public void Only_the_latest_samples_are_kept_for_percentiles()
    {
        var top = new TopAggregator();
        for (var i = 0; i < TopAggregator.MaxSamples; i++)
        {
            top.Add(TapData.Row(i, latencyMs: 1000));
        }

        for (var i = 0; i < TopAggregator.MaxSamples; i++)
        {
            top.Add(TapData.Row(i, latencyMs: 2));
        }

        var row = Assert.Single(top.Rows());
        Assert.Equal((2 * TopAggregator.MaxSamples, TopAggregator.MaxSamples), (row.Count, row.SampleCount));
        Assert.Equal((2.0, 2.0, 1000.0), (row.P50Ms!.Value, row.P95Ms!.Value, row.WorstMs!.Value));
    }

    [Fact]
    public void At_most_the_maximum_rows_the_least_recently_updated_evicted_first()
    {
        var top = new TopAggregator(maxRows: 3);
        top.Add(TapData.Row(1, path: "/a"));
        top.Add(TapData.Row(2, path: "/b"));
        top.Add(TapData.Row(3, path: "/c"));
        top.Add(TapData.Row(4, path: "/a"));   // /b is now the stalest

        top.Add(TapData.Row(5, path: "/d"));

        Assert.Equal(["/a", "/d", "/c"], top.Rows().Select(r => r.Path));
        Assert.Equal(1, top.Evicted);
    }

    [Fact]
    public void Incomplete_rows_are_not_counted()
    {
        var folder = new TapRowFolder();
        var pending = folder.Fold(new("p", TapData.Init(1)))!;
        var top = new TopAggregator();

        top.Add(pending);

        Assert.Equal(0, top.Count);
    }

    [Fact]
    public void The_share_let_through_is_rows_over_the_matching_requests_they_stand_for()
    {
        var folder = new TapRowFolder();
        var top = new TopAggregator();
        long stream = 0;
        foreach (var matched in new long[] { 1, 5, 9, 13 })
        {
            stream++;
            foreach (var e in TapData.Request(stream, matched: matched))
            {
                if (folder.Fold(e) is { IsComplete: true } row)
                {
                    top.Add(row);
                }
            }
        }

        // 4 rows for 1 + 4 + 4 + 4 matching requests.
        Assert.Equal(4.0 / 13, top.LetThrough!.Value, 9);
        Assert.Equal(4.0 / 13, Assert.Single(top.Rows()).LetThrough!.Value, 9);
    }
}
