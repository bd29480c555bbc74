using Dashboard.Model;

namespace Dashboard.Tests.Model;

/// <summary>A table page's URL read leniently: what can be used is, the rest falls back to its default with a sentence saying so.</summary>
public sealed class TableUrlStateTests
{
    private static readonly TimeSpan Scrape = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_valid_url_is_read_as_written_and_has_no_problem()
    {
        var state = TableUrlState.Parse("5m", "p99", "True", "web*", Scrape);

        Assert.Equal(new TableUrlState(StatWindow.FromSeconds(300), "p99", true, "web*"), state);
        Assert.Null(state.Problem);
    }

    [Fact]
    public void Absent_parameters_are_the_defaults()
    {
        Assert.Equal(TableUrlState.Default, TableUrlState.Parse(null, null, null, null, Scrape));
        Assert.False(TableUrlState.Parse(null, null, "", null, Scrape).Descending);
    }

    [Theory]
    [InlineData("abc", "true", "window 'abc' is not a duration in whole seconds up to 30d, such as 15s, 1m or 1h; showing 1m.")]
    [InlineData("15s", "true", "a 15s window needs a scrape interval of at most 7.5s; Prometheus scrapes every 10s; showing 1m.")]
    [InlineData("5m", "maybe", "desc 'maybe' is not true or false; sorting ascending.")]
    [InlineData("abc", "1", "window 'abc' is not a duration in whole seconds up to 30d, such as 15s, 1m or 1h; showing 1m. desc '1' is not true or false; sorting ascending.")]
    public void A_value_that_cannot_be_used_falls_back_and_is_explained(string window, string descending, string problem)
    {
        var state = TableUrlState.Parse(window, "rps", descending, null, Scrape);

        Assert.Equal(problem, state.Problem);
        Assert.Equal("rps", state.Sort);
        Assert.Equal(StatWindow.TryParse(window, out var asked) && asked.Validate(Scrape) is null ? asked : StatWindow.Default, state.Window);
        Assert.Equal(descending == "true", state.Descending);
    }
}
