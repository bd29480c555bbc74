using System.Text.RegularExpressions;
using Dashboard.Cli;

namespace Dashboard.Tests.Cli;

/// <summary><c>top</c> against the real fleet, its output not a terminal: one final table, exit 0.</summary>
[Collection(TapCliFleetCollection.Name)]
public sealed partial class TopVerbTests(TapCliFleetFixture fleet)
{
    [Fact]
    public async Task Top_of_test_1_for_5s_prints_a_final_table_with_its_calls_to_ml()
    {
        var run = await fleet.RunAsync("top", "deploy/test-1", "--duration", "5s");

        Assert.Equal((ExitCodes.Success, ""), (run.ExitCode, run.Error));
        var lines = run.Out.Split('\n');
        Assert.Equal("", lines[^1]);
        Assert.Matches(@"^Source +Destination +Method +Path +Count +Best +Worst +Last +Success Rate$", lines[0]);
        var rows = lines[1..^1].Select(l => Row().Match(l)).ToList();
        Assert.All(rows, r => Assert.True(r.Success, r.Value));
        var test1 = fleet.PodNames("test-1").Single();
        var toMl = rows.Where(r => r.Groups["source"].Value == test1).ToList();
        Assert.NotEmpty(toMl);
        Assert.All(toMl, r =>
        {
            Assert.Contains(r.Groups["destination"].Value, fleet.PodNames("ml"));
            Assert.Equal(("POST", "/v1/test-1"), (r.Groups["method"].Value, r.Groups["path"].Value));
            Assert.True(long.Parse(r.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        });
        // Every row is test-1's: its calls out, or calls to it.
        Assert.All(rows, r => Assert.Contains(test1, new[] { r.Groups["source"].Value, r.Groups["destination"].Value }));
    }

    [Fact]
    public async Task Top_of_ml_names_test_1s_pod_as_the_caller_not_a_loopback_address()
    {
        var run = await fleet.RunAsync("top", "deploy/ml", "--duration", "5s");

        Assert.Equal((ExitCodes.Success, ""), (run.ExitCode, run.Error));
        var rows = run.Out.Split('\n')[1..^1].Select(l => Row().Match(l)).ToList();
        Assert.All(rows, r => Assert.True(r.Success, r.Value));
        Assert.NotEmpty(rows);
        // ml's only caller is test-1: its proxy's connections leave from its pod's address, which names the pod.
        Assert.All(rows, r =>
        {
            Assert.Equal(fleet.PodNames("test-1").Single(), r.Groups["source"].Value);
            Assert.Contains(r.Groups["destination"].Value, fleet.PodNames("ml"));
        });
    }

    [Fact]
    public async Task A_query_as_the_top_page_shows_it_is_accepted()
    {
        var run = await fleet.RunAsync("top", "deploy/test-1", "--namespace", "default", "--to", "deploy/ml", "--method", "POST", "--path", "/v1/", "--max-rps", "50", "--duration", "3s");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.All(run.Out.Split('\n')[1..^1], l => Assert.Matches(@"^\S+ +ml-\S+ +POST +/v1/test-1 ", l));
    }

    [GeneratedRegex(@"^(?<source>\S+) +(?<destination>\S+) +(?<method>[A-Z]+) +(?<path>/\S*) +(?<count>\d+) +(?<best>\d+(µs|ms)|\d+\.\d\ds) +(?<worst>\d+(µs|ms)|\d+\.\d\ds) +(?<last>\d+(µs|ms)|\d+\.\d\ds) +(?<success>\d+\.\d\d%)$")]
    private static partial Regex Row();
}
