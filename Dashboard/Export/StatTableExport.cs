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

    /// <summary>The <c>kind</c> of a callers table's "unmeshed clients" row (its namespace is empty): requests without a client identity.</summary>
    public const string UnmeshedKind = "unmeshed";

    public static string Csv(StatTable table) => ToExportTable(table).ToCsv();

    public static string Json(StatTable table) => ToExportTable(table).ToJson();

    private static ExportTable ToExportTable(StatTable table)
    {
        var export = new ExportTable(Columns);
        foreach (var row in table.Rows)
        {
            export.Add(Values(row, table.Window));
        }

        return export;
    }

    /// <summary>A file name that says what the file holds: <c>deployments-default-1m.csv</c>, <c>callers-of-default-deployment-ml-5m.json</c>.</summary>
    public static string FileName(TableScope scope, StatWindow window, string extension)
    {
        var what = scope.Of is { } of
            ? $"{scope.Relation.ToString().ToLowerInvariant()}-of-{of.Namespace}-{of.Kind.SingularName()}-{of.Name}"
            : $"{scope.Kind.UrlSegment()}-{scope.Namespace ?? "all-namespaces"}";
        return $"{what}-{window}.{extension}";
    }

    private static object?[] Values(StatTableRow row, StatWindow window)
    {
        var stats = row.Stats;
        return
        [
            row.Namespace, row.Name, row.IsUnmeshedClients ? UnmeshedKind : row.Key.Kind.DisplayName(), row.MeshedPods, row.RunningPods,
            stats?.SuccessRate, stats?.Rps, stats?.P50Ms, stats?.P95Ms, stats?.P99Ms, stats?.TlsShare,
            stats?.Successes, stats?.Failures, window.TotalSeconds,
        ];
    }
}
