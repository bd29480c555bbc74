using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Proxy.Fleet.Manifest;

/// <summary>Reads typed values out of YAML nodes, recording a problem (with line, column and field path) for each bad one.</summary>
internal sealed class FleetManifestReader(string source)
{
    public List<ManifestProblem> Problems { get; } = [];

    public void Problem(YamlNode? node, string field, string message) =>
        Problems.Add(new ManifestProblem(source, (int)(node?.Start.Line ?? 1), (int)(node?.Start.Column ?? 1), field, message));

    public YamlMappingNode? Mapping(YamlNode? node, string field, params string[] keys)
    {
        if (node is not YamlMappingNode mapping)
        {
            Problem(node, field, $"expected a mapping{Got(node)}");
            return null;
        }

        foreach (var key in mapping.Children.Keys.OfType<YamlScalarNode>().Where(k => !keys.Contains(k.Value)))
        {
            Problem(key, field, $"unknown key '{key.Value}'; expected one of: {string.Join(", ", keys)}");
        }

        return mapping;
    }

    public IEnumerable<(YamlNode Node, string Field)> List(YamlMappingNode map, string key, string field)
    {
        if (Child(map, key) is not { } node || node is YamlScalarNode { Value: null or "" or "~" })
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            Problem(node, $"{field}.{key}", $"expected a list{Got(node)}");
            return [];
        }

        return sequence.Children.Select((child, i) => (child, $"{field}.{key}[{i}]"));
    }

    public static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public string? String(YamlMappingNode map, string key, string field, string? fallback = null)
    {
        if (Child(map, key) is not { } node)
        {
            if (fallback is null)
            {
                Problem(map, field, $"'{key}' is required");
            }

            return fallback;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }

        Problem(node, $"{field}.{key}", $"expected a string{Got(node)}");
        return fallback;
    }

    public double Number(YamlMappingNode map, string key, string field, double? fallback, double min, double max, string expected)
    {
        if (Child(map, key) is not { } node)
        {
            if (fallback is null)
            {
                Problem(map, field, $"'{key}' is required");
            }

            return fallback ?? 0;
        }

        if (node is YamlScalarNode scalar && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) &&
            value >= min && value <= max)
        {
            return value;
        }

        Problem(node, $"{field}.{key}", $"expected {expected}{Got(node)}");
        return fallback ?? 0;
    }

    public bool Bool(YamlMappingNode map, string key, string field, bool fallback)
    {
        if (Child(map, key) is not { } node)
        {
            return fallback;
        }

        if (node is YamlScalarNode { Value: "true" or "false" } scalar)
        {
            return scalar.Value == "true";
        }

        Problem(node, $"{field}.{key}", $"expected true or false{Got(node)}");
        return fallback;
    }

    public static string Got(YamlNode? node) => node switch
    {
        YamlScalarNode scalar => $", got '{scalar.Value}'",
        YamlSequenceNode => ", got a list",
        YamlMappingNode => ", got a mapping",
        _ => "",
    };
}
