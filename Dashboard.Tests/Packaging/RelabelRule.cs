using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// One entry of a Prometheus <c>relabel_configs</c> list, with Prometheus' defaults for what it leaves out
/// (separator <c>;</c>, regex <c>(.*)</c>, replacement <c>$1</c>, action <c>replace</c>). The regex is anchored at
/// both ends, as Prometheus anchors it.
/// </summary>
internal sealed record RelabelRule(IReadOnlyList<string> SourceLabels, string Separator, Regex Regex, string? TargetLabel, string Replacement, string Action)
{
    private static readonly HashSet<string> Actions = ["replace", "keep", "drop", "labelmap", "labeldrop", "labelkeep", "lowercase", "uppercase"];

    public static RelabelRule Parse(YamlMappingNode node)
    {
        string? Text(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
        var sources = node.Children.TryGetValue(new YamlScalarNode("source_labels"), out var list)
            ? ((YamlSequenceNode)list).Children.Select(c => ((YamlScalarNode)c).Value!).ToList()
            : [];
        var action = Text("action") ?? "replace";
        if (!Actions.Contains(action))
        {
            throw new NotSupportedException($"relabel action '{action}' is not implemented here; expected one of {string.Join(", ", Actions)}");
        }

        var regex = Text("regex") ?? "(.*)";
        return new RelabelRule(sources, Text("separator") ?? ";", new Regex($"^(?:{regex})$", RegexOptions.CultureInvariant),
            Text("target_label"), Text("replacement") ?? "$1", action);
    }

    public static IReadOnlyList<RelabelRule> ParseList(YamlSequenceNode list) =>
        [.. list.Children.Cast<YamlMappingNode>().Select(Parse)];
}
