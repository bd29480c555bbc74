using System.Collections.Immutable;
using System.Text;
using Dashboard.Contracts.Metrics;

namespace Dashboard.Metrics;

/// <summary>
/// An immutable set of PromQL equality matchers (<c>name="value"</c>), rendered in a fixed order with
/// escaped values so that equal selectors give equal query strings (and share a cache entry).
/// Order: the scope label (<c>namespace</c>, then <c>dst_namespace</c>) first, then by name.
/// </summary>
public sealed class PromSelector : IEquatable<PromSelector>
{
    private readonly ImmutableSortedDictionary<string, string> _matchers;

    private PromSelector(ImmutableSortedDictionary<string, string> matchers) => _matchers = matchers;

    public static PromSelector Empty { get; } = new(ImmutableSortedDictionary.Create<string, string>(LabelOrder.Instance));

    public bool IsEmpty => _matchers.IsEmpty;

    public int Count => _matchers.Count;

    public IEnumerable<KeyValuePair<string, string>> Matchers => _matchers;

    public bool Contains(string name) => _matchers.ContainsKey(name);

    /// <summary>A selector that also requires <paramref name="name"/> = <paramref name="value"/> (replacing an earlier value).</summary>
    public PromSelector With(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!IsLabelName(name))
        {
            throw new ArgumentException($"'{name}' is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)", nameof(name));
        }

        return new PromSelector(_matchers.SetItem(name, value));
    }

    /// <summary>The matchers joined by ", ", without braces: <c>namespace="default", deployment="web"</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (name, value) in _matchers)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }

        return text.ToString();
    }

    /// <summary>
    /// Escapes a value for a PromQL double-quoted string, which follows Go's rules: a backslash and a
    /// double quote are escaped, and a newline cannot appear raw.
    /// </summary>
    public static string Escape(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    public static bool IsLabelName(string? name) =>
        !string.IsNullOrEmpty(name) && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public bool Equals(PromSelector? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as PromSelector);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>The scope reads first, as a person writes it; the rest sort by name so the string is canonical.</summary>
    private sealed class LabelOrder : IComparer<string>
    {
        public static readonly LabelOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var byRank = Rank(x).CompareTo(Rank(y));
            return byRank != 0 ? byRank : string.CompareOrdinal(x, y);
        }

        private static int Rank(string? name) => name switch
        {
            LabelNames.Namespace => 0,
            LabelNames.DstNamespace => 1,
            _ => 2,
        };
    }
}
