using System.Globalization;
using System.Text.Json;

namespace Dashboard.Metrics;

/// <summary>Reads the JSON of Prometheus' HTTP API (<c>/api/v1/query</c>, <c>/api/v1/query_range</c>).</summary>
internal static class PrometheusResponse
{
    /// <summary>The error of an answer whose <c>status</c> is <c>error</c>; null for any other JSON.</summary>
    public static (string ErrorType, string Error)? ReadError(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("status", out var status) && status.ValueEquals("error")
            ? (Text(root, "errorType") ?? "unknown", Text(root, "error") ?? "(no message)")
            : null;

    /// <summary>The result of an instant query; a scalar becomes one sample without labels.</summary>
    public static IReadOnlyList<PromSample> ReadVector(JsonElement root)
    {
        var (type, result) = Data(root);
        switch (type)
        {
            case "vector":
                var samples = new List<PromSample>(result.GetArrayLength());
                var strings = new LabelStrings();
                foreach (var series in result.EnumerateArray())
                {
                    samples.Add(new PromSample(strings.Read(series), Value(series.GetProperty("value"))));
                }

                return samples;
            case "scalar":
                return [new PromSample(PromLabels.Empty, Value(result))];
            default:
                throw new FormatException($"expected a vector or a scalar, got a {type}");
        }
    }

    /// <summary>The result of a range query.</summary>
    public static IReadOnlyList<PromSeries> ReadMatrix(JsonElement root)
    {
        var (type, result) = Data(root);
        if (type != "matrix")
        {
            throw new FormatException($"expected a matrix, got a {type}");
        }

        var matrix = new List<PromSeries>(result.GetArrayLength());
        var strings = new LabelStrings();
        foreach (var series in result.EnumerateArray())
        {
            var values = series.GetProperty("values");
            var points = new List<PromPoint>(values.GetArrayLength());
            foreach (var value in values.EnumerateArray())
            {
                points.Add(Point(value));
            }

            matrix.Add(new PromSeries(strings.Read(series), points));
        }

        return matrix;
    }

    /// <summary>The recording rules of an answer of <c>/api/v1/rules</c>: every group's rules of type <c>recording</c>.</summary>
    public static IReadOnlyList<RecordingRule> ReadRecordingRules(JsonElement root)
    {
        if (!root.TryGetProperty("status", out var status) || !status.ValueEquals("success"))
        {
            throw new FormatException("the answer has no \"status\":\"success\"");
        }

        var rules = new List<RecordingRule>();
        foreach (var group in root.GetProperty("data").GetProperty("groups").EnumerateArray())
        {
            foreach (var rule in group.GetProperty("rules").EnumerateArray())
            {
                if (Text(rule, "type") == "recording" && Text(rule, "name") is { } name)
                {
                    rules.Add(new RecordingRule(name, Text(rule, "query") ?? "", Text(rule, "health") ?? "unknown", Text(rule, "lastError")));
                }
            }
        }

        return rules;
    }

    /// <summary>
    /// Prometheus writes sample values as strings: a number, <c>NaN</c> (no data: null), or
    /// <c>+Inf</c>/<c>-Inf</c> (kept; a latency in the +Inf bucket is the caller's call).
    /// </summary>
    public static double? ParseValue(string text) => text switch
    {
        "NaN" => null,
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a sample value"),
    };

    private static (string Type, JsonElement Result) Data(JsonElement root)
    {
        if (!root.TryGetProperty("status", out var status) || !status.ValueEquals("success"))
        {
            throw new FormatException("the answer has no \"status\":\"success\"");
        }

        var data = root.GetProperty("data");
        return (Text(data, "resultType") ?? "(missing)", data.GetProperty("result"));
    }

    // A point is [unix seconds (a JSON number with a fraction), "value"].
    private static PromPoint Point(JsonElement pair) => new(
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(pair[0].GetDouble() * 1000)),
        ParseValue(pair[1].GetString() ?? throw new FormatException("a sample value is not a string")));

    // An instant sample's value, parsed from its UTF-8 bytes: no string per sample.
    private static double? Value(JsonElement pair)
    {
        var value = pair[1];
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("a sample value is not a string");
        }

        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value)[1..^1];
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : ParseValue(value.GetString()!);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
