using Dashboard.Export;

namespace Dashboard.Tap;

/// <summary>The top as an export table: latencies in milliseconds and shares as fractions, no data as empty/null.</summary>
public static class TopExport
{
    public static ExportTable Table(IEnumerable<TopRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new ExportTable(["source", "destination", "method", "path", "count", "successes", "successRate",
            "bestMs", "worstMs", "lastMs", "p50Ms", "p95Ms", "samples", "letThrough"]);
        foreach (var r in rows)
        {
            table.Add(r.Source, r.Destination, r.Method, r.Path, r.Count, r.Successes, r.SuccessRate,
                r.BestMs, r.WorstMs, r.LastMs, r.P50Ms, r.P95Ms, r.SampleCount, r.LetThrough);
        }

        return table;
    }
}
