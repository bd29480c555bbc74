using System.Globalization;
using System.Text;
using System.Text.Json;
using Dashboard.Model;

namespace Dashboard.Cli.Stat;

/// <summary>
/// Prints <c>stat</c> results: the seed's table (<c>NAME MESHED SUCCESS RPS LATENCY_P50 LATENCY_P95 LATENCY_P99 TLS</c>)
/// formatted by the dashboard's own <see cref="StatFormat"/>; <c>-o wide</c> adds the counts behind the rates;
/// <c>-o json</c> is one array of objects with <c>null</c> for no data. With <c>--compare</c> each number is followed by
/// <c>(was X)</c>, and ▲ or ▼ when the change is larger than the noise (<see cref="StatNoise"/>); JSON gets the other
/// window's numbers under <c>compare</c>. Notes and errors go to standard error.
/// </summary>
public static class StatPrinter
{
    public static readonly IReadOnlyList<string> Columns = ["NAME", "MESHED", "SUCCESS", "RPS", "LATENCY_P50", "LATENCY_P95", "LATENCY_P99", "TLS"];

    public static readonly IReadOnlyList<string> WideColumns = ["REQUESTS", "FAILURES"];

    /// <summary><c>-o wide</c> of pods: why a pod stands out among its workload's pods (<c>p99 170ms vs 20ms</c>), or <c>-</c>.</summary>
    public const string OutlierColumn = "OUTLIER";

    /// <summary>The JSON <c>kind</c> of the callers' "unmeshed clients" row, which is no resource.</summary>
    public const string UnmeshedKind = "unmeshed";

    public static async Task WriteAsync(CliContext context, StatRequest request, IReadOnlyList<StatResult> results)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(results);
        if (context.Output == OutputFormat.Json)
        {
            await context.Console.Out.WriteLineAsync(Json(results)).ConfigureAwait(false);
        }
        else
        {
            await WriteTablesAsync(context, request, results).ConfigureAwait(false);
        }

        foreach (var result in results)
        {
            foreach (var name in result.Missing)
            {
                var where = result.Kind == WorkloadKind.Namespace || request.Namespace is null ? "" : $" in namespace \"{request.Namespace}\"";
                await context.Console.Error.WriteLineAsync($"error: {result.Kind.SingularName()} \"{name}\" not found{where}").ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteTablesAsync(CliContext context, StatRequest request, IReadOnlyList<StatResult> results)
    {
        var several = results.Count > 1;
        var printed = 0;
        foreach (var result in results.Where(r => r.Rows.Count > 0))
        {
            if (printed++ > 0)
            {
                await context.Console.Out.WriteLineAsync().ConfigureAwait(false);
            }

            await Table(result, request.Namespace is null && result.Kind != WorkloadKind.Namespace, several, context.Output == OutputFormat.Wide)
                .WriteAsync(context.Console.Out).ConfigureAwait(false);
        }

        if (printed == 0)
        {
            var where = request.Namespace is null || results.All(r => r.Kind == WorkloadKind.Namespace) ? "" : $" in {request.Namespace} namespace";
            await context.Console.Error.WriteLineAsync($"No resources found{where}.").ConfigureAwait(false);
        }

        // With several kinds (all), the kinds without rows are simply absent, as in kubectl get all.
        var noted = printed == 0 || !several ? results : results.Where(r => r.Rows.Count > 0);
        foreach (var note in noted.Select(r => r.Note).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await context.Console.Error.WriteLineAsync(note).ConfigureAwait(false);
        }
    }

    private static TextTable Table(StatResult result, bool withNamespace, bool prefixKind, bool wide)
    {
        var outliers = wide && result.Kind == WorkloadKind.Pod;
        var headers = (withNamespace ? ["NAMESPACE"] : Array.Empty<string>()).Concat(Columns).Concat(wide ? WideColumns : [])
            .Concat(outliers ? [OutlierColumn] : []).ToList();
        var table = new TextTable(headers, leftAligned: withNamespace ? 2 : 1);
        foreach (var row in result.Rows)
        {
            var stats = row.Stats;
            var name = prefixKind ? $"{result.Kind.SingularName()}/{row.Name}" : row.Name;
            var cells = new List<string>();
            if (withNamespace)
            {
                cells.Add(row.Namespace);
            }

            cells.AddRange([name, row.Meshed]);
            cells.AddRange(Enum.GetValues<StatColumn>().Select(c => Cell(row, c)));
            if (wide)
            {
                cells.AddRange([Count(stats?.Total), Count(stats?.Failures)]);
            }

            if (outliers)
            {
                cells.Add(row.Outlier is { } o ? $"{o.Metric.ToLowerInvariant()} {o.Value} vs {o.Baseline}" : StatFormat.NoData);
            }

            table.Add(cells);
        }

        return table;
    }

    // "262ms (was 9ms) ▲" when comparing: the arrow marks a change larger than the noise.
    private static string Cell(StatTableRow row, StatColumn column)
    {
        var value = StatChange.Format(column, StatChange.Value(column, row.Stats));
        if (row.Comparison is not { } comparison)
        {
            return value;
        }

        var change = StatChange.For(column, row.Stats, comparison.Stats);
        return $"{value} (was {change.Other}){(change.Significant ? " " + change.Arrow : "")}";
    }

    // increase() extrapolates to the window's edges, so counts are fractional; whole requests read better.
    private static string Count(double? count) =>
        count is { } c && double.IsFinite(c) ? Math.Round(c, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) : StatFormat.NoData;

    /// <summary>Linkerd's field names (<c>success</c>, <c>latency_ms_p50</c>, …) and the raw numbers, <c>null</c> for no data.</summary>
    private static string Json(IReadOnlyList<StatResult> results)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var result in results)
            {
                foreach (var row in result.Rows)
                {
                    var stats = row.Stats;
                    json.WriteStartObject();
                    json.WriteString("namespace", row.Namespace);
                    json.WriteString("kind", row.IsUnmeshedClients ? UnmeshedKind : result.Kind.SingularName());
                    json.WriteString("name", row.Name);
                    json.WriteString("meshed", row.Meshed);
                    WriteNumbers(json, stats);
                    if (result.Kind == WorkloadKind.Pod)
                    {
                        json.WriteString("outlier", row.Outlier?.ToString());
                    }

                    if (row.Comparison is { } comparison)
                    {
                        json.WriteStartObject("compare");
                        json.WriteString("window_end", comparison.WindowEnd.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                        WriteNumbers(json, comparison.Stats);
                        json.WriteStartArray("changed");
                        foreach (var column in Enum.GetValues<StatColumn>().Where(c => StatChange.For(c, row.Stats, comparison.Stats).Significant))
                        {
                            json.WriteStringValue(JsonName(column));
                        }

                        json.WriteEndArray();
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNumbers(Utf8JsonWriter json, StatCounts? stats)
    {
        foreach (var column in Enum.GetValues<StatColumn>())
        {
            Number(json, JsonName(column), StatChange.Value(column, stats));
        }

        Number(json, "requests", stats?.Total);
        Number(json, "failures", stats?.Failures);
    }

    private static string JsonName(StatColumn column) => column switch
    {
        StatColumn.SuccessRate => "success",
        StatColumn.Rps => "rps",
        StatColumn.P50 => "latency_ms_p50",
        StatColumn.P95 => "latency_ms_p95",
        StatColumn.P99 => "latency_ms_p99",
        _ => "tls",
    };

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
