using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dashboard.Export;

/// <summary>The JSON spelling of every export: camel case, nulls left out of objects, and NDJSON for streams of records.</summary>
public static class ExportJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Newline-delimited JSON: one compact object per line (https://github.com/ndjson/ndjson-spec).</summary>
    public static string ToNdjson<T>(IEnumerable<T> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(JsonSerializer.Serialize(record, Options)).Append('\n');
        }

        return text.ToString();
    }
}
