namespace Dashboard.Cli.Check;

/// <summary>Keeps hints to one line however many items fail.</summary>
internal static class CheckText
{
    private const int MaxItems = 5;

    /// <summary>"a, b, c" or "a, b, c, d, e and 7 more".</summary>
    public static string List(IReadOnlyCollection<string> items) => items.Count <= MaxItems
        ? string.Join(", ", items)
        : string.Join(", ", items.Take(MaxItems)) + $" and {items.Count - MaxItems} more";
}
