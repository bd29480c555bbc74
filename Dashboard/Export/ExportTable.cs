using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Dashboard.Export;

/// <summary>
/// A table to export: named columns and rows of values (strings, numbers, booleans, or null for no data). The same
/// table writes as CSV (RFC 4180) and as JSON (an array of objects keyed by column), so every table on the
/// dashboard exports alike: build one from the rows shown, call <see cref="ToCsv"/> or <see cref="ToJson"/>.
/// </summary>
public sealed class ExportTable(IReadOnlyList<string> columns)
{
    private readonly List<object?[]> _rows = [];

    public IReadOnlyList<string> Columns { get; } = columns;

    public int RowCount => _rows.Count;

    public ExportTable Add(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != Columns.Count)
        {
            throw new ArgumentException($"a row of {values.Length} values for {Columns.Count} columns ({string.Join(", ", Columns)})", nameof(values));
        }

        _rows.Add(values);
        return this;
    }

    /// <summary>A header line of the column names, then one line per row; no data is an empty field.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        AppendLine(csv, Columns);
        foreach (var row in _rows)
        {
            AppendLine(csv, row);
        }

        return csv.ToString();
    }

    /// <summary>An array with one object per row, keyed by column; no data is <c>null</c>, numbers stay numbers.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in _rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < Columns.Count; i++)
                {
                    json.WritePropertyName(Columns[i]);
                    JsonSerializer.Serialize(json, row[i], ExportJson.Options);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void AppendLine(StringBuilder csv, IEnumerable<object?> values)
    {
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                csv.Append(',');
            }

            first = false;
            csv.Append(Field(value));
        }

        // RFC 4180 ends lines with CRLF.
        csv.Append("\r\n");
    }

    private static string Field(object? value) => value switch
    {
        null => "",
        double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Text(value.ToString() ?? ""),
    };

    private static string Text(string text)
    {
        // A text that a spreadsheet would run as a formula (a path or Host header is the caller's to choose) is
        // kept as text by a leading apostrophe (OWASP's advice for CSV injection).
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : text;
    }
}
