namespace Dashboard.Model;

/// <summary>
/// How a table page's URL asks to show its tables (<c>?window=5m&amp;sort=p99&amp;desc=true&amp;filter=web*</c>), so a
/// link reproduces the view. Read leniently: a value that cannot be used is replaced by its default and
/// <see cref="Problem"/> says which and why, the page still shows.
/// </summary>
public sealed record TableUrlState(StatWindow Window, string? Sort, bool Descending, string? Filter)
{
    public static TableUrlState Default { get; } = new(StatWindow.Default, null, false, null);

    /// <summary>The window the numbers are compared with (<c>compare=previous</c> or <c>compare=&lt;RFC 3339 time&gt;</c>); null: none.</summary>
    public CompareWindow? Compare { get; init; }

    /// <summary>Why some of the URL was not used (one sentence per parameter), or null.</summary>
    public string? Problem { get; init; }

    /// <param name="scrapeInterval">Prometheus' scrape interval: a window must span two scrapes.</param>
    /// <param name="compare">The <c>compare</c> parameter: see <see cref="CompareWindow"/>.</param>
    public static TableUrlState Parse(string? window, string? sort, string? descending, string? filter, TimeSpan scrapeInterval, string? compare = null)
    {
        var problems = new List<string>();
        var parsedWindow = ReadWindow(window, scrapeInterval, problems);
        var parsedDescending = QueryFlag.Parse(descending);
        if (parsedDescending is null)
        {
            problems.Add($"{QueryFlag.NotAFlag("desc", descending!)}; sorting ascending.");
        }

        CompareWindow? parsedCompare = null;
        if (!string.IsNullOrEmpty(compare))
        {
            if (CompareWindow.TryParse(compare, out var other))
            {
                parsedCompare = other;
            }
            else
            {
                problems.Add($"compare '{compare}' is not {CompareWindow.Expected}; not comparing.");
            }
        }

        return new TableUrlState(parsedWindow, sort, parsedDescending ?? false, filter)
        {
            Compare = parsedCompare,
            Problem = problems.Count == 0 ? null : string.Join(" ", problems),
        };
    }

    /// <summary>The <c>window</c> parameter, or the default with the reason added to <paramref name="problems"/>.</summary>
    internal static StatWindow ReadWindow(string? text, TimeSpan scrapeInterval, List<string> problems)
    {
        if (text is null)
        {
            return StatWindow.Default;
        }

        if (!StatWindow.TryParse(text, out var window))
        {
            problems.Add($"window '{text}' is not {StatWindow.Expected}; showing {StatWindow.Default}.");
            return StatWindow.Default;
        }

        if (window.Validate(scrapeInterval) is { } reason)
        {
            problems.Add($"{reason}; showing {StatWindow.Default}.");
            return StatWindow.Default;
        }

        return window;
    }
}
