using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;

namespace Dashboard.Tests.Components;

/// <summary>
/// A long table's first paint: the prerendered HTML carries the first rows with their numbers (Virtualize alone would
/// send only spacers until the browser reports its viewport); the interactive render virtualizes.
/// </summary>
public sealed class StatTableViewPrerenderTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();

    private static List<StatTableRow> Rows(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new StatTableRow(
            new ResourceKey(WorkloadKind.Pod, "scale", $"pod-{i:D4}"), 1, 1, new StatCounts(99, 1, 100, 60, 4, 9, 12))),
    ];

    private IRenderedComponent<StatTableView> Render(bool interactive, int rows)
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Renderer.SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", interactive));
        return _context.Render<StatTableView>(p => p.Add(x => x.Kind, WorkloadKind.Pod).Add(x => x.Rows, Rows(rows)));
    }

    [Fact]
    public void A_prerendered_long_table_carries_its_first_rows_with_numbers_and_a_spacer_for_the_rest()
    {
        var cut = Render(interactive: false, rows: 1000);

        var rows = cut.FindAll("tbody tr[data-name]");
        Assert.Equal(40, rows.Count);
        Assert.Equal("pod-0000", rows[0].GetAttribute("data-name"));
        Assert.Equal("99.00%", cut.Find("tbody tr[data-name] td.success").TextContent.Trim());
        Assert.Equal("height: 35520px", cut.Find("tbody tr[aria-hidden]").GetAttribute("style"));
    }

    [Fact]
    public void An_interactive_long_table_renders_only_rows_near_the_view()
    {
        var cut = Render(interactive: true, rows: 1000);

        Assert.InRange(cut.FindAll("tbody tr[data-name]").Count, 0, 200);
        Assert.NotEmpty(cut.FindAll("tbody tr[aria-hidden]")); // Virtualize's spacers stand in for the rest
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
