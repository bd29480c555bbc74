using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dashboard.Model;

namespace Dashboard.Investigation;

/// <summary>
/// A <see cref="Diagnosis"/> as <c>diagnose -o json</c> writes it, a contract that scripts read:
/// <c>resource</c> (<c>deployment/ledger</c>, <c>namespace/pay</c>), <c>namespace</c>, <c>lookback</c> (<c>15m</c>),
/// <c>summary</c>, then <c>episodes</c> (with their <c>causes</c>), <c>outliers</c> and <c>breakdown</c>, each <c>[]</c>
/// when nothing was found. Times are RFC 3339 in UTC; latencies are milliseconds rounded to 0.1 ms, failure and success
/// rates and shares are 0..1 rounded to 4 decimals, recurrences are seconds rounded to 0.1 s; <c>null</c> is no data.
/// <see cref="Diagnosis.Series"/> is not written: it is the charts', not the contract's.
/// </summary>
public static class DiagnosisJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The diagnosis as one JSON object: indented for a terminal, else on one line.</summary>
    public static string Write(Diagnosis diagnosis, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            Write(json, diagnosis);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter json, Diagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(diagnosis);
        json.WriteStartObject();
        json.WriteString("resource", ResourceName(diagnosis.Resource));
        json.WriteString("namespace", diagnosis.Resource.Namespace);
        json.WriteString("lookback", diagnosis.Lookback.ToString());
        json.WriteString("summary", diagnosis.Summary);
        json.WriteStartArray("episodes");
        foreach (var episode in diagnosis.Episodes)
        {
            json.WriteStartObject();
            json.WriteString("start", Time(episode.Start));
            json.WriteString("end", Time(episode.End));
            json.WriteString("metric", MetricName(episode.Metric));
            var rate = episode.Metric == SpikeMetric.FailureRate;
            Number(json, "baseline", rate ? Rate(episode.Baseline) : Milliseconds(episode.Baseline));
            Number(json, "peak", rate ? Rate(episode.Peak) : Milliseconds(episode.Peak));
            Number(json, "recurrenceSeconds", Round(episode.RecurrenceSeconds, 1));
            json.WriteStartArray("causes");
            foreach (var cause in episode.Causes)
            {
                json.WriteStartObject();
                json.WriteString("kind", KindName(cause.Kind));
                json.WriteString("name", cause.Name);
                json.WriteString("evidence", cause.Evidence);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("outliers");
        foreach (var outlier in diagnosis.Outliers)
        {
            var rate = outlier.Metric == OutlierMetric.SuccessRate;
            json.WriteStartObject();
            json.WriteString("pod", outlier.Pod);
            json.WriteString("metric", MetricName(outlier.Metric));
            Number(json, "value", rate ? Rate(outlier.Value) : Milliseconds(outlier.Value));
            Number(json, "siblingsMedian", rate ? Rate(outlier.SiblingsMedian) : Milliseconds(outlier.SiblingsMedian));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("breakdown");
        foreach (var share in diagnosis.Breakdown)
        {
            json.WriteStartObject();
            json.WriteString("downstream", ResourceName(share.Downstream));
            json.WriteString("namespace", share.Downstream.Namespace);
            Number(json, "p95Ms", Milliseconds(share.P95Ms));
            Number(json, "shareOfP95", Rate(share.ShareOfP95));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary><c>deployment/ledger</c>, <c>namespace/pay</c>: the singular kind and the name, without the namespace.</summary>
    public static string ResourceName(ResourceKey resource) => resource.KindName;

    /// <summary><c>p99</c>, <c>p95</c>, <c>failureRate</c>.</summary>
    public static string MetricName(SpikeMetric metric) => metric switch
    {
        SpikeMetric.P99 => "p99",
        SpikeMetric.P95 => "p95",
        _ => "failureRate",
    };

    /// <summary><c>p50</c>, <c>p95</c>, <c>p99</c>, <c>successRate</c>.</summary>
    public static string MetricName(OutlierMetric metric) => metric switch
    {
        OutlierMetric.P50 => "p50",
        OutlierMetric.P95 => "p95",
        OutlierMetric.P99 => "p99",
        _ => "successRate",
    };

    /// <summary><c>caller</c>, <c>pod</c>, <c>downstream</c>, <c>path</c>, <c>self</c>.</summary>
    public static string KindName(CauseKind kind) => kind switch
    {
        CauseKind.Caller => "caller",
        CauseKind.Pod => "pod",
        CauseKind.Downstream => "downstream",
        CauseKind.Path => "path",
        _ => "self",
    };

    /// <summary>RFC 3339 in UTC, to the second: <c>2026-12-03T06:10:00Z</c> (steps are whole seconds).</summary>
    public static string Time(DateTimeOffset time) => TimeText.Format(time);

    private static double? Milliseconds(double? value) => Round(value, 1);

    private static double? Rate(double? value) => Round(value, 4);

    private static double? Round(double? value, int decimals) =>
        value is { } v && double.IsFinite(v) ? Math.Round(v, decimals, MidpointRounding.AwayFromZero) : null;

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
