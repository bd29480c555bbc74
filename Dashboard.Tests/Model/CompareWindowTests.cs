using Dashboard.Model;

namespace Dashboard.Tests.Model;

/// <summary><c>compare=</c> in a table's URL: the window just before, or the same length ending at a time.</summary>
public sealed class CompareWindowTests
{
    private static readonly TimeSpan Scrape = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 21, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Previous_ends_where_the_shown_window_begins()
    {
        var state = TableUrlState.Parse("5m", null, null, null, Scrape, "previous");

        Assert.Equal(CompareWindow.Previous, state.Compare);
        Assert.Equal(Now.AddMinutes(-5), state.Compare!.Value.EndFor(Now, state.Window));
        Assert.Null(state.Problem);
        Assert.Equal("previous", state.Compare.ToString());
    }

    [Fact]
    public void A_time_is_the_end_of_the_other_window_in_utc()
    {
        var state = TableUrlState.Parse("1m", null, null, null, Scrape, "2026-12-02T22:00:00+01:00");

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 21, 0, 0, TimeSpan.Zero), state.Compare!.Value.EndFor(Now, state.Window));
        Assert.Equal("2026-12-02T21:00:00Z", state.Compare.Value.ToString());
        Assert.Equal("the 1m ending 2026-12-02 21:00:00 UTC", state.Compare.Value.Describe(state.Window));
    }

    [Fact]
    public void A_compare_that_is_no_window_is_explained_and_not_used()
    {
        var state = TableUrlState.Parse("1m", null, null, null, Scrape, "yesterday");

        Assert.Null(state.Compare);
        Assert.Equal("compare 'yesterday' is not 'previous' or an RFC 3339 time such as 2026-12-02T21:00:00Z; not comparing.", state.Problem);
    }
}
