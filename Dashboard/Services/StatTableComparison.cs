using Dashboard.Model;

namespace Dashboard.Services;

/// <summary>Pairs the rows of a table with the same rows of another window (<c>compare=</c>, <c>stat --compare</c>).</summary>
public static class StatTableComparison
{
    /// <summary>
    /// <paramref name="shown"/>'s rows, each with its numbers in <paramref name="other"/>; rows of the other window alone
    /// (a caller that has stopped calling) are added without numbers of their own.
    /// </summary>
    public static StatTable Attach(StatTable shown, StatTable other, DateTimeOffset otherEnd)
    {
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(other);
        return shown with { Rows = Attach(shown.Rows, other.Rows, otherEnd) };
    }

    /// <inheritdoc cref="Attach(StatTable, StatTable, DateTimeOffset)"/>
    public static List<StatTableRow> Attach(IReadOnlyList<StatTableRow> shown, IReadOnlyList<StatTableRow> other, DateTimeOffset otherEnd)
    {
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(other);
        var then = other.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.First());
        var rows = shown.Select(r => r with { Comparison = new StatComparison(then.GetValueOrDefault(r.Key)?.Stats, otherEnd) }).ToList();
        var keys = shown.Select(r => r.Key).ToHashSet();
        rows.AddRange(other.Where(r => !keys.Contains(r.Key) && r.Stats is not null)
            .Select(r => r with { Stats = null, Outlier = null, Comparison = new StatComparison(r.Stats, otherEnd) }));
        return rows;
    }
}
