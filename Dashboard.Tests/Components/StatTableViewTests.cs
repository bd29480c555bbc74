using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Dashboard.Tests.Components;

/// <summary>The stat table as rendered: formatting, "-" for no data, health colours, sort headers and links.</summary>
public sealed class StatTableViewTests : IDisposable
{
    private readonly BunitContext _context = new();

    public StatTableViewTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Renderer.SetRendererInfo(new RendererInfo("Server", true)); // the live table, as the browser sees it
    }

    private static StatTableRow Row(string name, int meshed, int running, StatCounts? stats, WorkloadKind kind = WorkloadKind.Deployment) =>
        new(new ResourceKey(kind, "default", name), meshed, running, stats);

    private static readonly IReadOnlyList<StatTableRow> Rows =
    [
        Row("ml", 2, 2, new StatCounts(594, 6, 0, 60, 4.6, 18, 23.5)),
        Row("test-2", 1, 1, new StatCounts(170, 10, 0, 60, 0.85, 240, 1250)),
        Row("flaky", 1, 1, new StatCounts(80, 20, 100, 60, 3, 4, 5)),
        Row("legacy", 0, 1, null),
    ];

    [Fact]
    public void A_long_table_renders_only_the_rows_in_view_and_a_short_one_every_row()
    {
        StatTableRow[] Many(int count) => [.. Enumerable.Range(0, count).Select(i => Row($"pod-{i:D4}", 1, 1, null, WorkloadKind.Pod))];

        var longTable = _context.Render<StatTableView>(p => p.Add(x => x.Kind, WorkloadKind.Pod).Add(x => x.Rows, Many(1000)));
        var shortTable = _context.Render<StatTableView>(p => p.Add(x => x.Kind, WorkloadKind.Pod).Add(x => x.Rows, Many(StatTableView.VirtualizeAbove)));

        var rendered = longTable.FindAll("tr[data-name]");
        Assert.InRange(rendered.Count, 1, 200); // a screenful and the overscan, not 1,000
        Assert.Equal("pod-0000", rendered[0].GetAttribute("data-name"));
        Assert.Equal(StatTableView.VirtualizeAbove, shortTable.FindAll("tr[data-name]").Count);
    }

    [Fact]
    public void Names_with_html_in_them_stay_text_and_every_viewer_shares_a_rows_markup()
    {
        // Not a valid Kubernetes name, but the table must not trust the API server with its HTML.
        StatTableRow[] rows = [new(new ResourceKey(WorkloadKind.Deployment, "a&b", "<img src=x onerror=alert(1)>\""), 1, 1, null)];

        var first = _context.Render<StatTableView>(p => p.Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Rows, rows).Add(x => x.ShowNamespace, true));
        var second = _context.Render<StatTableView>(p => p.Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Rows, rows).Add(x => x.ShowNamespace, true));

        var row = first.Find("tr[data-namespace='a&b']");
        Assert.Empty(first.FindAll("img"));
        Assert.Equal(["a&b", "<img src=x onerror=alert(1)>\""], row.QuerySelectorAll("td a").Select(a => a.TextContent));
        Assert.Equal("<img src=x onerror=alert(1)>\"", row.GetAttribute("data-name"));
        Assert.Same(
            Dashboard.Components.Controls.StatRowMarkup.For(rows[0], showNamespace: true, grafanaUrl: null).Value,
            Dashboard.Components.Controls.StatRowMarkup.For(rows[0], showNamespace: true, grafanaUrl: null).Value);
        Assert.Equal(first.Find("tbody").InnerHtml, second.Find("tbody").InnerHtml);
    }

    [Fact]
    public void Rows_show_meshed_success_rps_latencies_and_tls_as_the_cli_prints_them()
    {
        var cut = _context.Render<StatTableView>(p => p.Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Rows, Rows));

        string[] Cells(string name) => [.. cut.Find($"tr[data-name='{name}']").QuerySelectorAll("td").Select(td => td.TextContent.Trim())];
        Assert.Equal(["ml", "2/2", "99.00%", "10.0rps", "5ms", "18ms", "24ms", "0%"], Cells("ml")[..8]);
        Assert.Equal(["test-2", "1/1", "94.44%", "3.0rps", "850µs", "240ms", "1.25s", "0%"], Cells("test-2")[..8]);
        Assert.Equal(["flaky", "1/1", "80.00%", "1.7rps", "3ms", "4ms", "5ms", "100%"], Cells("flaky")[..8]);
        Assert.Equal(["legacy", "0/1", "-", "-", "-", "-", "-", "-"], Cells("legacy")[..8]);
    }

    [Fact]
    public void Success_dots_are_green_orange_red_and_grey_without_traffic()
    {
        var cut = _context.Render<StatTableView>(p => p.Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Rows, Rows));

        string Dot(string name) => cut.Find($"tr[data-name='{name}'] .dot").ClassName!;
        Assert.Contains("dot-good", Dot("ml"), StringComparison.Ordinal);
        Assert.Contains("dot-warn", Dot("test-2"), StringComparison.Ordinal);
        Assert.Contains("dot-bad", Dot("flaky"), StringComparison.Ordinal);
        Assert.Contains("dot-none", Dot("legacy"), StringComparison.Ordinal);
    }

    [Fact]
    public void Meshed_resources_link_to_their_page_and_grafana_unmeshed_ones_do_not()
    {
        var cut = _context.Render<StatTableView>(p => p.Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Rows, Rows)
            .Add(x => x.GrafanaUrl, "http://grafana.local:3000/"));

        Assert.Equal("namespaces/default/deployments/ml", cut.Find("tr[data-name='ml'] td.name a").GetAttribute("href"));
        Assert.Empty(cut.FindAll("tr[data-name='legacy'] td.name a"));
        Assert.Equal("http://grafana.local:3000/d/linkerd-deployment?var-deployment=ml&var-namespace=default",
            cut.Find("tr[data-name='ml'] a.grafana").GetAttribute("href"));
        Assert.Empty(cut.FindAll("tr[data-name='legacy'] a.grafana"));
    }

    [Fact]
    public void Clicking_a_header_asks_to_sort_by_that_column()
    {
        string? sorted = null;
        var cut = _context.Render<StatTableView>(p => p.Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Rows, Rows)
            .Add(x => x.Sort, StatSort.P99).Add(x => x.Descending, true).Add(x => x.OnSort, (string c) => sorted = c));

        Assert.Equal("P99 ▼", cut.Find("button[data-sort='p99']").TextContent.Trim());
        cut.Find("button[data-sort='success']").Click();
        Assert.Equal(StatSort.Success, sorted);
    }

    [Fact]
    public void Sorting_puts_rows_without_data_last_in_either_direction_and_filters_take_wildcards()
    {
        Assert.Equal(["test-2", "ml", "flaky", "legacy"], StatSort.Apply(Rows, StatSort.P99, descending: true).Select(r => r.Name));
        Assert.Equal(["flaky", "ml", "test-2", "legacy"], StatSort.Apply(Rows, StatSort.P99, descending: false).Select(r => r.Name));
        Assert.Equal(["flaky", "legacy", "ml", "test-2"], StatSort.Apply(Rows, null, descending: false).Select(r => r.Name));
        Assert.Equal(["ml", "test-2", "flaky"], StatSort.Apply(Rows, StatSort.Success, descending: true).Take(3).Select(r => r.Name));
        Assert.Equal(["test-2"], Rows.Where(StatSort.Matcher("t*-2")).Select(r => r.Name));
        Assert.Equal(["ml", "flaky", "legacy"], Rows.Where(StatSort.Matcher("L")).Select(r => r.Name));
        Assert.Equal(4, Rows.Count(StatSort.Matcher(" ")));
    }

    public void Dispose() => _context.Dispose();
}
