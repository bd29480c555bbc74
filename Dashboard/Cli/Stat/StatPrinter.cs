using System.Globalization;
using System.Text;
using System.Text.Json;
using Dashboard.Model;

namespace Dashboard.Cli.Stat;

/// <summary>
/// Prints <c>stat</c> results: the seed's table (<c>NAME MESHED SUCCESS RPS LATENCY_P50 LATENCY_P95 LATENCY_P99 TLS</c>)
/// formatted by the dashboard's own <see cref="StatFormat"/>; <c>-o wide</c> adds the counts behind the rates;
/// <c>-o json</c> is one array of objects with <c>null</c> for no data. Notes and errors go to standard error.
/// </summary>
public static class StatPrinter
{
    public static readonly IReadOnlyList<string> Columns = ["NAME", "MESHED", "SUCCESS", "RPS", "LATENCY_P50", "LATENCY_P95", "LATENCY_P99", "TLS"];

    public static readonly IReadOnlyList<string> WideColumns = ["REQUESTS", "FAILURES"];

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
        var headers = (withNamespace ? ["NAMESPACE"] : Array.Empty<string>()).Concat(Columns).Concat(wide ? WideColumns : []).ToList();
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

            cells.AddRange([
                name, row.Meshed, StatFormat.SuccessRate(stats?.SuccessRate), StatFormat.Rps(stats?.Rps),
                StatFormat.Latency(stats?.P50Ms), StatFormat.Latency(stats?.P95Ms), StatFormat.Latency(stats?.P99Ms), StatFormat.TlsShare(stats?.TlsShare),
            ]);
            if (wide)
            {
                cells.AddRange([Count(stats?.Total), Count(stats?.Failures)]);
            }

            table.Add(cells);
        }

        return table;
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
                    json.WriteString("kind", result.Kind.SingularName());
                    json.WriteString("name", row.Name);
                    json.WriteString("meshed", row.Meshed);
                    Number(json, "success", stats?.SuccessRate);
                    Number(json, "rps", stats?.Rps);
                    Number(json, "latency_ms_p50", stats?.P50Ms);
                    Number(json, "latency_ms_p95", stats?.P95Ms);
                    Number(json, "latency_ms_p99", stats?.P99Ms);
                    Number(json, "tls", stats?.TlsShare);
                    Number(json, "requests", stats?.Total);
                    Number(json, "failures", stats?.Failures);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

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
