using Dashboard.Components.Controls;
using Dashboard.Investigation;
using Dashboard.Model;
using Dashboard.Services;

namespace Dashboard.Tests.Model;

/// <summary>The rows compare, outliers and the unmeshed clients add to a table, and how a row shows them.</summary>
public sealed class StatTableRowsTests
{
    private static readonly DateTimeOffset End = new(2026, 12, 2, 21, 29, 0, TimeSpan.Zero);
    private static readonly ResourceKey Test2 = new(WorkloadKind.Deployment, "default", "test-2");

    private static StatTableRow Pod(string name, double p99, double successes = 100, double failures = 0) =>
        new(new ResourceKey(WorkloadKind.Pod, "default", name), 1, 1, new StatCounts(successes, failures, 0, 60, p99 / 4, p99 / 2, p99));

    [Fact]
    public void Of_three_pods_the_slow_one_is_flagged_with_its_p99_against_its_siblings()
    {
        var rows = StatTableOutliers.Mark([Pod("ml-a", 20), Pod("ml-b", 20), Pod("ml-c", 170), Pod("lone-x", 900)],
            r => r.Name.StartsWith("ml-", StringComparison.Ordinal) ? new ResourceKey(WorkloadKind.Deployment, "default", "ml") : null,
            InvestigationThresholds.Default);

        Assert.Equal("P99 170ms vs 20ms", rows.Single(r => r.Name == "ml-c").Outlier?.ToString());
        Assert.All(rows.Where(r => r.Name != "ml-c"), r => Assert.Null(r.Outlier)); // a pod of no workload has no siblings
        var html = StatRowMarkup.For(rows.Single(r => r.Name == "ml-c"), showNamespace: false, grafanaUrl: null).Value;
        Assert.Contains("<span class=\"outlier\"", html, StringComparison.Ordinal);
        Assert.Contains("outlier: P99 170ms vs 20ms</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_pods_give_no_baseline_and_are_never_flagged()
    {
        var rows = StatTableOutliers.Mark([Pod("ml-a", 20), Pod("ml-c", 170)], _ => Test2, InvestigationThresholds.Default);

        Assert.All(rows, r => Assert.Null(r.Outlier));
    }

    [Fact]
    public void A_compared_row_shows_each_number_beside_the_other_windows_and_marks_changes_beyond_the_noise()
    {
        var now = new StatTableRow(Test2, 1, 1, new StatCounts(180, 0, 0, 60, 2, 6, 262));
        var then = new StatTableRow(Test2, 1, 1, new StatCounts(178, 0, 0, 60, 2, 6, 9));

        var row = StatTableComparison.Attach([now], [then], End).Single();
        var html = StatRowMarkup.For(row, showNamespace: false, grafanaUrl: null).Value;

        Assert.Equal(new StatComparison(then.Stats, End), row.Comparison);
        Assert.Contains("<td class=\"num\" data-column=\"p99\">262ms <span class=\"compared\"><span class=\"was\">← 9ms</span> <span class=\"delta changed up\" title=\"larger than the noise\">▲ &#x2B;253ms</span></span></td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\" data-column=\"rps\">3.0rps <span class=\"compared\"><span class=\"was\">← 3.0rps</span> <span class=\"delta\" title=\"within the noise\">&#x2B;0.03rps</span></span></td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\" data-column=\"p95\">6ms <span class=\"compared\"><span class=\"was\">← 6ms</span> <span class=\"delta\" title=\"within the noise\">&#xB1;0</span></span></td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_of_the_other_window_alone_is_kept_without_numbers_of_its_own()
    {
        var gone = new StatTableRow(new ResourceKey(WorkloadKind.Deployment, "default", "old-caller"), 1, 1, new StatCounts(60, 0, 60, 60, 1, 2, 3));

        var rows = StatTableComparison.Attach([], [gone], End);

        Assert.Equal([gone with { Stats = null, Comparison = new StatComparison(gone.Stats, End) }], rows);
    }

    [Fact]
    public void The_unmeshed_clients_row_has_no_namespace_no_link_and_no_meshed_count()
    {
        var row = StatTableRow.UnmeshedClients(Test2, new StatCounts(180, 0, 0, 60, 2, 6, 262));
        var html = StatRowMarkup.For(row, showNamespace: true, grafanaUrl: "http://grafana.local").Value;

        Assert.Equal("-", row.Meshed);
        Assert.Null(StatRowMarkup.Link(row));
        Assert.StartsWith("<tr data-name=\"unmeshed clients\" data-namespace=\"\" class=\"unmeshed-clients\"><td></td><td class=\"name\">unmeshed clients</td><td class=\"num\">-</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<a ", html, StringComparison.Ordinal);
        Assert.Contains(">0%</td>", html, StringComparison.Ordinal);
    }
}
