using System.Globalization;

namespace Dashboard.Model;

/// <summary>
/// The other window of a comparison (<c>compare=</c> in a table's URL, <c>stat --compare</c>): of the same length, just
/// before the shown one (<c>previous</c>) or ending at a given time (RFC 3339).
/// </summary>
/// <param name="EndsAt">When the other window ends; null for the one just before.</param>
public readonly record struct CompareWindow(DateTimeOffset? EndsAt)
{
    public const string PreviousText = "previous";

    /// <summary>What a compare value may be, for error messages.</summary>
    public const string Expected = "'previous' or an RFC 3339 time such as 2026-12-02T21:00:00Z";

    public static CompareWindow Previous { get; } = new(null);

    /// <summary>When the other window ends, for a shown window of <paramref name="window"/> ending at <paramref name="shownEnd"/>.</summary>
    public DateTimeOffset EndFor(DateTimeOffset shownEnd, StatWindow window) => EndsAt ?? shownEnd - window.Duration;

    public static bool TryParse(string? text, out CompareWindow compare)
    {
        compare = Previous;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (string.Equals(text.Trim(), PreviousText, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (TimeText.TryParse(text, out var time))
        {
            compare = new CompareWindow(time);
            return true;
        }

        return false;
    }

    /// <summary>As the URL writes it: <c>previous</c> or <c>2026-12-02T21:00:00Z</c>.</summary>
    public override string ToString() => EndsAt is { } at ? TimeText.Format(at) : PreviousText;

    /// <summary>How a table says which window it compares with: <c>the previous 1m</c>, <c>1m ending 21:00:00Z</c>.</summary>
    public string Describe(StatWindow window) => EndsAt is { } at
        ? $"the {window} ending {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC"
        : $"the previous {window}";
}
