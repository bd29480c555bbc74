using System.Diagnostics.CodeAnalysis;
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
    private readonly List<KeyValuePair<string, string>> _scratch = new(8); // one series is read at a time

    public LabelStrings() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The strings of the answer being read (<see cref="PrometheusResponse.ReadAsync"/> sets one per answer).</summary>
    public static AsyncLocal<LabelStrings?> Current { get; } = new();

    /// <summary>The <c>metric</c> object the reader is on: label names to values.</summary>
    public PromLabels ReadLabels(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"\"metric\" is a {reader.TokenType}, not an object");
        }

        var labels = _scratch;
        labels.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Intern(ref reader);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"label '{name}' is not a string");
            }

            labels.Add(new(name, Intern(ref reader)));
        }

        return labels.Count == 0 ? PromLabels.Empty : new PromLabels([.. labels]);
    }

    private string Intern(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            var text = reader.GetString()!;
            return _strings.TryGetValue(text, out var known) ? known : _strings[text] = text;
        }

        var utf8 = reader.ValueSpan;
        var buffer = utf8.Length <= StackLimit ? stackalloc char[StackLimit] : new char[utf8.Length];
        var chars = buffer[..Encoding.UTF8.GetChars(utf8, buffer)];
        if (_lookup.TryGetValue(chars, out var interned))
        {
            return interned;
        }

        var created = new string(chars);
        _strings[created] = created;
        return created;
    }
}
