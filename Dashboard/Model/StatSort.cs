using System.Text.RegularExpressions;

namespace Dashboard.Model;

/// <summary>The sortable columns of a stat table, as they appear in the URL (<c>?sort=p99&amp;desc=true</c>).</summary>
public static class StatSort
{
    public const string Name = "name";
    public const string Namespace = "namespace";
    public const string Meshed = "meshed";
    public const string Success = "success";
    public const string Rps = "rps";
    public const string P50 = "p50";
    public const string P95 = "p95";
    public const string P99 = "p99";
    public const string Tls = "tls";

    /// <summary>Rows ordered by a column; rows without data always go last, whatever the direction.</summary>
    public static IEnumerable<StatTableRow> Apply(IEnumerable<StatTableRow> rows, string? column, bool descending)
    {
        Func<StatTableRow, double?>? number = column switch
        {
            Meshed => r => r.MeshedPods,
            Success => r => r.Stats?.SuccessRate,
            Rps => r => r.Stats?.Rps,
            P50 => r => r.Stats?.P50Ms,
            P95 => r => r.Stats?.P95Ms,
            P99 => r => r.Stats?.P99Ms,
            Tls => r => r.Stats?.TlsShare,
            _ => null,
        };
        if (number is null)
        {
            var byText = column == Namespace
                ? rows.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)
                : rows.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Namespace, StringComparer.Ordinal);
            return descending ? byText.Reverse() : byText;
        }

        var withData = rows.Where(r => number(r) is not null);
        var ordered = descending ? withData.OrderByDescending(r => number(r)) : withData.OrderBy(r => number(r));
        return ordered.ThenBy(r => r.Name, StringComparer.Ordinal).Concat(rows.Where(r => number(r) is null).OrderBy(r => r.Name, StringComparer.Ordinal));
    }

    /// <summary>
    /// The name filter with <c>*</c> wildcards, built once per filter: plain text matches anywhere in the name,
    /// a pattern with <c>*</c> the whole name (case-insensitive).
    /// </summary>
    public static Func<StatTableRow, bool> Matcher(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return _ => true;
        }

        var matches = NameMatcher(filter);
        return row => matches(row.Name);
    }

    /// <summary>
    /// A name pattern with <c>*</c> wildcards: plain text matches anywhere in the name, a pattern with <c>*</c> the
    /// whole name (case-insensitive). The tables' filter and the graph's <c>name =</c> alike.
    /// </summary>
    public static Func<string, bool> NameMatcher(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        pattern = pattern.Trim();
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return name => name.Contains(pattern, StringComparison.OrdinalIgnoreCase);
        }

        var regex = new Regex(
            "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        return regex.IsMatch;
    }
}
