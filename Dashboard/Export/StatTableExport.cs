using System.Globalization;
using System.Text;
using System.Text.Json;
using Dashboard.Model;

namespace Dashboard.Export;

/// <summary>
/// A stat table as a file: CSV (RFC 4180, a header row, numbers unformatted, empty for no data) or JSON (an array
/// of objects, <c>null</c> for no data), with the raw counts behind the rates so a spreadsheet can recompute them.
/// </summary>
public static class StatTableExport
{
    private static readonly string[] Columns =
        ["namespace", "name", "kind", "meshed_pods", "running_pods", "success_rate", "rps", "p50_ms", "p95_ms", "p99_ms", "tls_share", "successes", "failures", "window_seconds"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Csv(StatTable table)
    {
        var csv = new StringBuilder().AppendJoin(',', Columns).Append("\r\n");
        foreach (var row in table.Rows)
        {
            csv.AppendJoin(',', Values(row, table.Window).Select(Field)).Append("\r\n");
        }

        return csv.ToString();
    }

    public static string Json(StatTable table) => JsonSerializer.Serialize(
        table.Rows.Select(row => Columns.Zip(Values(row, table.Window)).ToDictionary(c => c.First, c => c.Second)),
        Indented);

    /// <summary>A file name that says what the file holds: <c>deployments-default-1m.csv</c>, <c>callers-of-default-deployment-ml-5m.json</c>.</summary>
    public static string FileName(TableScope scope, StatWindow window, string extension)
    {
        var what = scope.Of is { } of
            ? $"{scope.Relation.ToString().ToLowerInvariant()}-of-{of.Namespace}-{of.Kind.DisplayName().ToLowerInvariant()}-{of.Name}"
            : $"{scope.Kind.UrlSegment()}-{scope.Namespace ?? "all-namespaces"}";
        return $"{what}-{window}.{extension}";
    }

    private static object?[] Values(StatTableRow row, StatWindow window)
    {
        var stats = row.Stats;
        return
        [
            row.Namespace, row.Name, row.Key.Kind.DisplayName(), row.MeshedPods, row.RunningPods,
            stats?.SuccessRate, stats?.Rps, stats?.P50Ms, stats?.P95Ms, stats?.P99Ms, stats?.TlsShare,
            stats?.Successes, stats?.Failures, window.TotalSeconds,
        ];
    }

    private static string Field(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s when s.AsSpan().IndexOfAny(",\"\r\n") >= 0 => $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"",
        _ => value.ToString() ?? "",
    };
}
