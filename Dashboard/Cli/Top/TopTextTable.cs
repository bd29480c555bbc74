using System.Globalization;
using Dashboard.Model;
using Dashboard.Tap;

namespace Dashboard.Cli.Top;

/// <summary>The table of <c>top</c>, as the seed prints it: one row per source, destination, method and path, by count.</summary>
internal static class TopTextTable
{
    public static readonly IReadOnlyList<string> Columns =
        ["Source", "Destination", "Method", "Path", "Count", "Best", "Worst", "Last", "Success Rate"];

    /// <summary>The first <paramref name="maxRows"/> rows (all when null), numbers as the dashboard's top shows them.</summary>
    public static TextTable Of(IEnumerable<TopRow> rows, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new TextTable(Columns, leftAligned: 4);
        foreach (var row in maxRows is { } max ? rows.Take(max) : rows)
        {
            table.Add(
            [
                row.Source, row.Destination, row.Method, row.Path,
                row.Count.ToString(CultureInfo.InvariantCulture),
                StatFormat.Latency(row.BestMs), StatFormat.Latency(row.WorstMs), StatFormat.Latency(row.LastMs),
                StatFormat.SuccessRate(row.SuccessRate),
            ]);
        }

        return table;
    }
}
