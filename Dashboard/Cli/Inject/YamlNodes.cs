using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Inject;

/// <summary>Small reads and writes on a YAML tree, keeping what is there in place.</summary>
internal static partial class YamlNodes
{
    public static YamlNode? Get(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Text(YamlMappingNode mapping, string key) => (Get(mapping, key) as YamlScalarNode)?.Value;

    /// <summary>
    /// The mapping at <paramref name="key"/>, created empty when absent (first when <paramref name="first"/>, as
    /// <c>metadata</c> goes before <c>spec</c>, else last); null when something else is there.
    /// </summary>
    public static YamlMappingNode? Mapping(YamlMappingNode parent, string key, bool first = false)
    {
        switch (Get(parent, key))
        {
            case YamlMappingNode mapping:
                return mapping;
            case null:
            case YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "null" or "~" }:
                var created = new YamlMappingNode();
                parent.Children.Remove(new YamlScalarNode(key));
                if (first)
                {
                    parent.Children.Insert(0, new YamlScalarNode(key), created);
                }
                else
                {
                    parent.Children.Add(new YamlScalarNode(key), created);
                }

                return created;
            default:
                return null;
        }
    }

    /// <summary>The sequence at <paramref name="key"/>, created empty (last) when absent; null when something else is there.</summary>
    public static YamlSequenceNode? Sequence(YamlMappingNode parent, string key)
    {
        switch (Get(parent, key))
        {
            case YamlSequenceNode sequence:
                return sequence;
            case null:
            case YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "null" or "~" }:
                var created = new YamlSequenceNode();
                parent.Children[new YamlScalarNode(key)] = created;
                return created;
            default:
                return null;
        }
    }

    /// <summary>Replaces a scalar's value, quoting it when its plain style would read as a number, boolean or null.</summary>
    public static void Replace(YamlScalarNode scalar, string value)
    {
        scalar.Value = value;
        if (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && NotAString().IsMatch(value))
        {
            scalar.Style = ScalarStyle.DoubleQuoted;
        }
    }

    /// <summary>Sets <paramref name="key"/> to a string, quoted when plain YAML would read it as a number, boolean or null.</summary>
    public static void SetString(YamlMappingNode mapping, string key, string value) =>
        mapping.Children[String(key)] = String(value);

    public static YamlScalarNode String(string value) =>
        new(value) { Style = NotAString().IsMatch(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };

    // What YAML 1.1 or 1.2 resolves to something other than a string when written plain.
    [GeneratedRegex(@"^(|~|null|true|false|yes|no|on|off|y|n|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-f]+|0o?[0-7]+|[-+]?\.inf|\.nan)$",
        RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NotAString();
}
