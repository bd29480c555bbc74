using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Dashboard.Metrics;

/// <summary>
/// The labels of one series, as an array: a series carries a handful, and a table's answer carries tens of
/// thousands of series (26 latency buckets per pod), so a dictionary per series would cost more than the numbers.
/// </summary>
internal sealed class PromLabels : IReadOnlyDictionary<string, string>
{
    private readonly KeyValuePair<string, string>[] _labels;

    public PromLabels(KeyValuePair<string, string>[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _labels = labels;
    }

    public static PromLabels Empty { get; } = new([]);

    public int Count => _labels.Length;

    public IEnumerable<string> Keys => _labels.Select(l => l.Key);

    public IEnumerable<string> Values => _labels.Select(l => l.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no label '{key}'");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        foreach (var label in _labels)
        {
            if (string.Equals(label.Key, key, StringComparison.Ordinal))
            {
                value = label.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_labels).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "{" + string.Join(", ", _labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}

/// <summary>
/// One string per distinct label name or value within an answer: 1,000 pods × 26 buckets repeat each pod's name
/// 26 times and each bound 1,000 times. Reads the JSON's own UTF-8 bytes, so a repeated string costs no allocation.
/// </summary>
internal sealed class LabelStrings
{
    private const int StackLimit = 256;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public LabelStrings() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public PromLabels Read(JsonElement series)
    {
        if (!series.TryGetProperty("metric", out var metric) || metric.ValueKind != JsonValueKind.Object)
        {
            return PromLabels.Empty;
        }

        var labels = new KeyValuePair<string, string>[metric.GetPropertyCount()];
        var i = 0;
        foreach (var label in metric.EnumerateObject())
        {
            if (label.Value.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"label '{label.Name}' is not a string");
            }

            labels[i++] = new(Name(label), Value(label.Value));
        }

        return new PromLabels(labels);
    }

    private string Name(JsonProperty label)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(label);
        return raw.Contains((byte)'\\') ? Intern(label.Name) : Intern(raw);
    }

    private string Value(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value); // with its quotes
        return raw.Contains((byte)'\\') ? Intern(value.GetString()!) : Intern(raw[1..^1]);
    }

    private string Intern(ReadOnlySpan<byte> utf8)
    {
        var buffer = utf8.Length <= StackLimit ? stackalloc char[StackLimit] : new char[utf8.Length];
        var chars = buffer[..Encoding.UTF8.GetChars(utf8, buffer)];
        if (_lookup.TryGetValue(chars, out var known))
        {
            return known;
        }

        var text = new string(chars);
        _strings[text] = text;
        return text;
    }

    private string Intern(string text)
    {
        if (_strings.TryGetValue(text, out var known))
        {
            return known;
        }

        _strings[text] = text;
        return text;
    }
}
