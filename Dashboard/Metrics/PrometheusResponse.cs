using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dashboard.Metrics;

/// <summary>
/// Reads the JSON of Prometheus' HTTP API (<c>/api/v1/query</c>, <c>/api/v1/query_range</c>, <c>/api/v1/rules</c>)
/// as it arrives: System.Text.Json buffers one series at a time, not the answer (a 1,000-pod table's latency
/// buckets are megabytes of JSON, which a document would hold whole in large pooled buffers that the pool then keeps).
/// </summary>
internal static class PrometheusResponse
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new ResultItemConverter() },
    };

    /// <summary>Deserializes an answer from <paramref name="stream"/>; label strings repeated across series are shared.</summary>
    public static async Task<Answer?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var previous = LabelStrings.Current.Value;
        LabelStrings.Current.Value = new LabelStrings();
        try
        {
            return await JsonSerializer.DeserializeAsync<Answer>(stream, Options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            LabelStrings.Current.Value = previous;
        }
    }

    /// <summary>The error of an answer whose <c>status</c> is <c>error</c>; null for any other.</summary>
    public static (string ErrorType, string Error)? ReadError(Answer answer) =>
        answer.Status == "error" ? (answer.ErrorType ?? "unknown", answer.Error ?? "(no message)") : null;

    /// <summary>The result of an instant query; a scalar becomes one sample without labels.</summary>
    public static IReadOnlyList<PromSample> ReadVector(Answer answer)
    {
        var (type, result) = Data(answer);
        switch (type)
        {
            case "vector":
                return [.. result.Select(r => new PromSample(r.Labels, (r.Value ?? throw new FormatException("a series has no \"value\"")).Value))];
            case "scalar":
                // [unix seconds, "value"]: a number, then a string.
                return result is [{ Time: not null }, { Text: { } text }]
                    ? [new PromSample(PromLabels.Empty, ParseValue(text))]
                    : throw new FormatException("a scalar is not [time, \"value\"]");
            default:
                throw new FormatException($"expected a vector or a scalar, got a {type}");
        }
    }

    /// <summary>The result of a range query.</summary>
    public static IReadOnlyList<PromSeries> ReadMatrix(Answer answer)
    {
        var (type, result) = Data(answer);
        return type == "matrix"
            ? [.. result.Select(r => new PromSeries(r.Labels, r.Values ?? throw new FormatException("a series has no \"values\"")))]
            : throw new FormatException($"expected a matrix, got a {type}");
    }

    /// <summary>The recording rules of an answer of <c>/api/v1/rules</c>: every group's rules of type <c>recording</c>.</summary>
    public static IReadOnlyList<RecordingRule> ReadRecordingRules(Answer answer)
    {
        if (answer.Status != "success")
        {
            throw new FormatException("the answer has no \"status\":\"success\"");
        }

        var groups = answer.Data?.Groups ?? throw new FormatException("the answer has no \"data\":{\"groups\":[…]}");
        return [.. groups.SelectMany(g => g.Rules ?? []).Where(r => r.Type == "recording" && r.Name is not null)
            .Select(r => new RecordingRule(r.Name!, r.Query ?? "", r.Health ?? "unknown", r.LastError))];
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

    private static (string Type, List<ResultItem> Result) Data(Answer answer)
    {
        if (answer.Status != "success")
        {
            throw new FormatException("the answer has no \"status\":\"success\"");
        }

        var data = answer.Data ?? throw new FormatException("the answer has no \"data\"");
        return (data.ResultType ?? "(missing)", data.Result ?? throw new FormatException("the answer has no \"data\":{\"result\":[…]}"));
    }

    /// <summary>The envelope of every answer of Prometheus' HTTP API.</summary>
    internal sealed class Answer
    {
        [JsonPropertyName("status")]
        public string? Status { get; set; }

        [JsonPropertyName("errorType")]
        public string? ErrorType { get; set; }

        [JsonPropertyName("error")]
        public string? Error { get; set; }

        [JsonPropertyName("data")]
        public AnswerData? Data { get; set; }
    }

    internal sealed class AnswerData
    {
        [JsonPropertyName("resultType")]
        public string? ResultType { get; set; }

        [JsonPropertyName("result")]
        public List<ResultItem>? Result { get; set; }

        [JsonPropertyName("groups")]
        public List<RuleGroup>? Groups { get; set; }
    }

    internal sealed class RuleGroup
    {
        [JsonPropertyName("rules")]
        public List<Rule>? Rules { get; set; }
    }

    internal sealed class Rule
    {
        [JsonPropertyName("type")]
        public string? Type { get; set; }

        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("query")]
        public string? Query { get; set; }

        [JsonPropertyName("health")]
        public string? Health { get; set; }

        [JsonPropertyName("lastError")]
        public string? LastError { get; set; }
    }

    /// <summary>
    /// An element of <c>data.result</c>: a series (its labels and its <c>value</c> or <c>values</c>), or, in a
    /// scalar's <c>[time, "value"]</c>, the time or the value.
    /// </summary>
    internal sealed record ResultItem(PromLabels Labels, PromPoint? Value, List<PromPoint>? Values, double? Time = null, string? Text = null);

    /// <summary>Reads one element of <c>data.result</c> from the reader, label strings through <see cref="LabelStrings.Current"/>.</summary>
    private sealed class ResultItemConverter : JsonConverter<ResultItem>
    {
        public override ResultItem Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    return new ResultItem(PromLabels.Empty, null, null, Time: reader.GetDouble());
                case JsonTokenType.String:
                    return new ResultItem(PromLabels.Empty, null, null, Text: reader.GetString());
                case JsonTokenType.StartObject:
                    break;
                default:
                    throw new JsonException($"a result element is a {reader.TokenType}, not a series");
            }

            var strings = LabelStrings.Current.Value ??= new LabelStrings();
            var labels = PromLabels.Empty;
            PromPoint? value = null;
            List<PromPoint>? values = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("metric"u8))
                {
                    reader.Read();
                    labels = strings.ReadLabels(ref reader);
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    reader.Read();
                    value = ReadPoint(ref reader);
                }
                else if (reader.ValueTextEquals("values"u8))
                {
                    reader.Read();
                    Expect(ref reader, JsonTokenType.StartArray, "\"values\"");
                    values = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        values.Add(ReadPoint(ref reader));
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip(); // native histograms and whatever a later Prometheus adds
                }
            }

            return new ResultItem(labels, value, values);
        }

        public override void Write(Utf8JsonWriter writer, ResultItem value, JsonSerializerOptions options) =>
            throw new NotSupportedException("answers are only read");

        // A point is [unix seconds (a JSON number with a fraction), "value"].
        private static PromPoint ReadPoint(ref Utf8JsonReader reader)
        {
            Expect(ref reader, JsonTokenType.StartArray, "a point");
            reader.Read();
            Expect(ref reader, JsonTokenType.Number, "a point's time");
            var time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(reader.GetDouble() * 1000));
            reader.Read();
            Expect(ref reader, JsonTokenType.String, "a sample value");
            double? value = !reader.ValueIsEscaped && !reader.HasValueSequence
                && double.TryParse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                ? number
                : ParseValue(reader.GetString()!);
            reader.Read();
            Expect(ref reader, JsonTokenType.EndArray, "a point of two elements");
            return new PromPoint(time, value);
        }

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
        {
            if (reader.TokenType != type)
            {
                throw new JsonException($"{what} is a {reader.TokenType}, expected a {type}");
            }
        }
    }
}
