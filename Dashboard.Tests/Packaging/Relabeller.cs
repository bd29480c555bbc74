using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// Prometheus' relabelling (model/relabel in prometheus/prometheus), applied to a target's label set, and the scrape
/// target's label handling around it: what Prometheus adds before relabelling and keeps after it.
/// </summary>
internal static partial class Relabeller
{
    /// <summary>The labels after the rules, or null when a keep or drop rule removed the target.</summary>
    public static Dictionary<string, string>? Apply(IReadOnlyDictionary<string, string> labels, IEnumerable<RelabelRule> rules)
    {
        var result = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var value = string.Join(rule.Separator, rule.SourceLabels.Select(l => result.GetValueOrDefault(l, "")));
            switch (rule.Action)
            {
                case "keep" when !rule.Regex.IsMatch(value):
                case "drop" when rule.Regex.IsMatch(value):
                    return null;
                case "replace":
                    var match = rule.Regex.Match(value);
                    if (!match.Success)
                    {
                        break;
                    }

                    var target = Expand(match, rule.TargetLabel ?? throw new InvalidOperationException("a replace rule needs target_label"));
                    if (!LabelName().IsMatch(target))
                    {
                        break;
                    }

                    Set(result, target, Expand(match, rule.Replacement));
                    break;
                case "lowercase":
                    Set(result, rule.TargetLabel!, value.ToLowerInvariant());
                    break;
                case "uppercase":
                    Set(result, rule.TargetLabel!, value.ToUpperInvariant());
                    break;
                case "labelmap":
                    foreach (var (name, labelValue) in result.ToList())
                    {
                        if (rule.Regex.Match(name) is { Success: true } m)
                        {
                            result[Expand(m, rule.Replacement)] = labelValue;
                        }
                    }

                    break;
                case "labeldrop":
                    result.Keys.Where(k => rule.Regex.IsMatch(k)).ToList().ForEach(k => result.Remove(k));
                    break;
                case "labelkeep":
                    result.Keys.Where(k => !rule.Regex.IsMatch(k)).ToList().ForEach(k => result.Remove(k));
                    break;
            }
        }

        return result;
    }

    /// <summary>
    /// A discovered target as Prometheus scrapes it: job and scrape defaults added, the rules applied, then dropped
    /// without an address, <c>instance</c> defaulted to the address, and every <c>__</c> label removed.
    /// </summary>
    public static Dictionary<string, string>? Target(IReadOnlyDictionary<string, string> discovered, string job, IEnumerable<RelabelRule> rules)
    {
        var labels = new Dictionary<string, string>(discovered, StringComparer.Ordinal);
        labels.TryAdd("job", job);
        labels.TryAdd("__scheme__", "http");
        labels.TryAdd("__metrics_path__", "/metrics");
        var relabelled = Apply(labels, rules);
        if (relabelled is null || relabelled.GetValueOrDefault("__address__", "") == "")
        {
            return null;
        }

        relabelled.TryAdd("instance", relabelled["__address__"]);
        return relabelled.Where(l => !l.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>An empty value removes the label, as in Prometheus.</summary>
    private static void Set(Dictionary<string, string> labels, string name, string value)
    {
        if (value.Length == 0)
        {
            labels.Remove(name);
        }
        else
        {
            labels[name] = value;
        }
    }

    /// <summary>
    /// Go's Regexp.Expand: <c>$$</c> is a dollar, <c>${name}</c> a group, and <c>$name</c> takes the longest run of
    /// letters, digits and underscores as the name (so <c>$1x</c> is group "1x", empty); unknown groups are empty.
    /// </summary>
    private static string Expand(Match match, string template)
    {
        var result = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '$' || i + 1 >= template.Length)
            {
                result.Append(template[i]);
                continue;
            }

            string name;
            if (template[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }

            if (template[i + 1] == '{' && template.IndexOf('}', i + 2) is var close and > 0)
            {
                name = template[(i + 2)..close];
                i = close;
            }
            else
            {
                var end = i + 1;
                while (end < template.Length && (char.IsAsciiLetterOrDigit(template[end]) || template[end] == '_'))
                {
                    end++;
                }

                if (end == i + 1)
                {
                    result.Append('$');
                    continue;
                }

                name = template[(i + 1)..end];
                i = end - 1;
            }

            var group = int.TryParse(name, out var index) ? (index < match.Groups.Count ? match.Groups[index] : null) : match.Groups[name];
            result.Append(group is { Success: true } ? group.Value : "");
        }

        return result.ToString();
    }

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
