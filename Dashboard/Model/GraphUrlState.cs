using Dashboard.Graph;

namespace Dashboard.Model;

/// <summary>Which numbers an edge of the graph shows in its label, by the names the URL and the find box give them.</summary>
[Flags]
public enum EdgeLabels
{
    None = 0,
    Rps = 1,
    SuccessRate = 2,
    P95 = 4,
    All = Rps | SuccessRate | P95,
}

/// <summary>
/// How the graph page's URL asks to show the graph
/// (<c>?namespace=shop,default&amp;window=5m&amp;pods=true&amp;idle=true&amp;labels=rps,sr&amp;find=sr&lt;99&amp;hide=ns=kube*</c>),
/// so a link reproduces the view. Read leniently, as <see cref="TableUrlState"/> is: what cannot be used is replaced by
/// its default and <see cref="Problem"/> says so; a find or hide expression that does not parse is kept as typed, its
/// error in <see cref="FindError"/> or <see cref="HideError"/>, for the box to show under it.
/// </summary>
public sealed record GraphUrlState(IReadOnlyList<string> Namespaces, StatWindow Window, bool Pods, bool Idle, EdgeLabels Labels)
{
    /// <summary>The label names of the URL, in the order labels show them.</summary>
    public static IReadOnlyList<(EdgeLabels Label, string Name)> LabelNames { get; } =
        [(EdgeLabels.Rps, "rps"), (EdgeLabels.SuccessRate, "sr"), (EdgeLabels.P95, "p95")];

    public static GraphUrlState Default { get; } = new([], StatWindow.Default, false, false, EdgeLabels.All);

    /// <summary>The find expression as typed (null: none); <see cref="Find"/> is it parsed, when it parses.</summary>
    public string? FindText { get; init; }

    public GraphFind? Find { get; init; }

    public string? FindError { get; init; }

    /// <summary>The hide expression as typed (null: none); <see cref="Hide"/> is it parsed, when it parses.</summary>
    public string? HideText { get; init; }

    public GraphFind? Hide { get; init; }

    public string? HideError { get; init; }

    /// <summary>Why some of the URL was not used (one sentence per parameter), or null.</summary>
    public string? Problem { get; init; }

    /// <summary>The <c>labels</c> parameter of <paramref name="labels"/>: <c>rps,sr,p95</c>; empty for none.</summary>
    public static string LabelsText(EdgeLabels labels) =>
        string.Join(',', LabelNames.Where(l => labels.HasFlag(l.Label)).Select(l => l.Name));

    /// <param name="scrapeInterval">Prometheus' scrape interval: a window must span two scrapes.</param>
    public static GraphUrlState Parse(
        string? namespaces, string? window, string? pods, string? idle, string? labels, string? find, string? hide, TimeSpan scrapeInterval)
    {
        var problems = new List<string>();
        var parsedWindow = TableUrlState.ReadWindow(window, scrapeInterval, problems);
        var (parsedFind, findError) = Expression(find);
        var (parsedHide, hideError) = Expression(hide);
        return new GraphUrlState(
            Graph.GraphQuery.Namespaces(namespaces),
            parsedWindow, Flag("pods", pods, "showing workloads", problems), Flag("idle", idle, "hiding idle workloads", problems),
            ReadLabels(labels, problems))
        {
            FindText = string.IsNullOrWhiteSpace(find) ? null : find,
            Find = parsedFind,
            FindError = findError,
            HideText = string.IsNullOrWhiteSpace(hide) ? null : hide,
            Hide = parsedHide,
            HideError = hideError,
            Problem = problems.Count == 0 ? null : string.Join(" ", problems),
        };
    }

    private static (GraphFind? Find, string? Error) Expression(string? text) =>
        string.IsNullOrWhiteSpace(text) ? (null, null)
        : GraphFind.TryParse(text, out var parsed, out var error) ? (parsed, null)
        : (null, error);

    private static bool Flag(string name, string? text, string otherwise, List<string> problems)
    {
        if (QueryFlag.Parse(text) is { } value)
        {
            return value;
        }

        problems.Add($"{QueryFlag.NotAFlag(name, text!)}; {otherwise}.");
        return false;
    }

    private static EdgeLabels ReadLabels(string? text, List<string> problems)
    {
        if (text is null)
        {
            return EdgeLabels.All;
        }

        var labels = EdgeLabels.None;
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var known = LabelNames.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));
            if (known.Name is null)
            {
                problems.Add($"labels: '{name}' is not one of {string.Join(", ", LabelNames.Select(l => l.Name))}; left out.");
            }

            labels |= known.Label;
        }

        return labels;
    }
}
