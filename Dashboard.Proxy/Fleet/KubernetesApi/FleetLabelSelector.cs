using System.Text.RegularExpressions;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// A parsed labelSelector query: comma-joined requirements <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>,
/// <c>a in (x,y)</c>, <c>a notin (x,y)</c>, <c>a</c> and <c>!a</c>, all of which must hold.
/// </summary>
internal sealed partial class FleetLabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private FleetLabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static FleetLabelSelector Everything { get; } = new([]);

    /// <summary>Parses a selector; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out FleetLabelSelector selector, out string error)
    {
        selector = Everything;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            if (!TryParseRequirement(part.Trim(), out var requirement, out error))
            {
                return false;
            }
            requirements.Add(requirement);
        }
        selector = new FleetLabelSelector(requirements);
        return true;
    }

    public bool Matches(IDictionary<string, string>? labels) => _requirements.All(r => r.Matches(labels));

    private static bool TryParseRequirement(string text, out Requirement requirement, out string error)
    {
        requirement = default;
        error = "";
        Match match;
        if ((match = ExistsPattern().Match(text)).Success)
        {
            requirement = new Requirement(match.Groups["key"].Value, match.Groups["not"].Success ? Op.NotExists : Op.Exists, []);
        }
        else if ((match = EqualityPattern().Match(text)).Success)
        {
            var op = match.Groups["op"].Value == "!=" ? Op.NotEquals : Op.Equals;
            requirement = new Requirement(match.Groups["key"].Value, op, [match.Groups["value"].Value]);
        }
        else if ((match = SetPattern().Match(text)).Success)
        {
            var op = match.Groups["op"].Value == "in" ? Op.In : Op.NotIn;
            var values = match.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries);
            requirement = new Requirement(match.Groups["key"].Value, op, values);
        }
        else
        {
            error = $"unable to parse requirement \"{text}\"";
            return false;
        }
        if (!IsValidKey(requirement.Key))
        {
            error = $"invalid label key \"{requirement.Key}\"";
            return false;
        }
        if (requirement.Values.FirstOrDefault(v => !ValuePattern().IsMatch(v)) is { } badValue)
        {
            error = $"invalid label value \"{badValue}\"";
            return false;
        }
        return true;
    }

    // Commas inside "in (x,y)" separate values, not requirements.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    // A label key is an optional DNS subdomain prefix and a name of at most 63 characters.
    private static bool IsValidKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = key[(slash + 1)..];
        var prefix = slash < 0 ? null : key[..slash];
        return name.Length is > 0 and <= 63 && NamePattern().IsMatch(name)
            && (prefix is null || (prefix.Length is > 0 and <= 253 && PrefixPattern().IsMatch(prefix)));
    }

    [GeneratedRegex(@"^(?<not>!)?\s*(?<key>[^\s!=(),]+)$")]
    private static partial Regex ExistsPattern();

    [GeneratedRegex(@"^(?<key>[^\s!=(),]+)\s*(?<op>==|=|!=)\s*(?<value>[^\s!=(),]*)$")]
    private static partial Regex EqualityPattern();

    [GeneratedRegex(@"^(?<key>[^\s!=(),]+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")]
    private static partial Regex ValuePattern();

    private enum Op { Equals, NotEquals, In, NotIn, Exists, NotExists }

    private readonly record struct Requirement(string Key, Op Op, IReadOnlyList<string> Values)
    {
        public bool Matches(IDictionary<string, string>? labels)
        {
            string? value = null;
            var present = labels is not null && labels.TryGetValue(Key, out value);
            return Op switch
            {
                Op.Exists => present,
                Op.NotExists => !present,
                Op.Equals or Op.In => present && Values.Contains(value),
                _ => !present || !Values.Contains(value),
            };
        }
    }
}
